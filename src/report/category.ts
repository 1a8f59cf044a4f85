/**
 * The SARIF analysis category (`runs[0].automationDetails.id`) when `--category` is not given. GitHub reads the part
 * before the last `/` as the category and keeps one analysis per tool and category for a commit.
 */
export const DEFAULT_CATEGORY = "flowgate/";
