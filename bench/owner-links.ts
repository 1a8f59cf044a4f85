import type { ModuleSpec, RestrictedKind } from "./gateway-model.js";
import type { Method } from "./service-methods.js";
import { stringOf } from "./service-methods.js";

/**
 * Owner links (`npm run bench -- --owner-links`, off by default): objects that keep the object holding them, as a
 * browser SDK's core keeps its tours and banners and each of them keeps the core (Usertour's `this.activatedTour = new
 * UsertourTour(this, new UsertourSession(…))`, docs/performance.md). With the option each module gets a workflow its
 * service holds (`new Workflow(this)`, the service kept by the workflow) and whose steps keep the workflow and a
 * session holding the entity: one step is written into a field directly, one through a local, the others pushed
 * into a list. The steps call back into the workflow, and the workflow calls the steps and its service. Nothing here
 * draws on the seed: with the option off the generated gateway is byte for byte the standard one, and with it on the
 * rest of the gateway is unchanged (the same modules, each service holding its workflow and its entry point starting
 * it).
 *
 * Two leaks are planted per module, each at a line marked `bench:owner-leak`: a step logs the restricted field of the
 * entity its session keeps (pino), and the notify step hands the same field to the workflow, which posts it to the
 * partner's API (an axios instance, not vetted). The review step hands only the entity's id over, and the workflow's
 * `debugState` logs only an id and a count.
 */
export const OWNER_LEAK_MARK = "// bench:owner-leak";

export function workflowFile(spec: ModuleSpec): string {
  const field = spec.restricted[0];
  if (!field) throw new Error(`workflowFile: ${spec.name} has no restricted field`);
  const value = stringOf("this.session.entity", field);
  const p = spec.pascal;
  return [
    `import { logger, partnerClient } from "@app/shared";`,
    `import type { ${p}Dto } from "./dto/${spec.name}.dto";`,
    `import type { ${p}Service } from "./${spec.name}.service";`,
    ``,
    `export class ${p}Session {`,
    `  constructor(`,
    `    readonly entity: ${p}Dto,`,
    `    readonly startedAt: number,`,
    `  ) {}`,
    `}`,
    ``,
    `/** A step of the ${spec.name} workflow: built by the workflow with \`new …(this, session)\`, and it keeps the workflow. */`,
    `export abstract class ${p}Step {`,
    `  protected readonly owner: ${p}Workflow;`,
    `  protected readonly session: ${p}Session;`,
    ``,
    `  constructor(owner: ${p}Workflow, session: ${p}Session) {`,
    `    this.owner = owner;`,
    `    this.session = session;`,
    `  }`,
    ``,
    `  entityId(): string {`,
    `    return this.session.entity.id;`,
    `  }`,
    ``,
    `  refresh(): void {`,
    `    this.owner.syncStep(this);`,
    `  }`,
    ``,
    `  announce(): void {`,
    `    logger.info({ contact: ${value} }, "${spec.name} step"); ${OWNER_LEAK_MARK}`,
    `  }`,
    `}`,
    ``,
    `export class ${p}ReviewStep extends ${p}Step {`,
    `  private round = 0;`,
    ``,
    `  next(): void {`,
    `    this.round++;`,
    `    this.owner.track("review", this.entityId());`,
    `    this.refresh();`,
    `  }`,
    `}`,
    ``,
    `export class ${p}NotifyStep extends ${p}Step {`,
    `  show(): void {`,
    `    this.owner.track("notify", ${value});`,
    `    this.owner.dismissOthers(this);`,
    `  }`,
    `}`,
    ``,
    `export class ${p}ChecklistStep extends ${p}Step {`,
    `  readonly items: string[] = [];`,
    ``,
    `  complete(item: string): void {`,
    `    this.items.push(item);`,
    `    this.owner.track("checklist", item);`,
    `    this.refresh();`,
    `  }`,
    `}`,
    ``,
    `/** Held by its service (\`new ${p}Workflow(this)\`), and it keeps the service; holds its steps, which keep it. */`,
    `export class ${p}Workflow {`,
    `  private active: ${p}ReviewStep | null = null;`,
    `  private notice: ${p}NotifyStep | null = null;`,
    `  private readonly checklists: ${p}ChecklistStep[] = [];`,
    `  private lastSynced: ${p}Step | null = null;`,
    ``,
    `  constructor(private readonly service: ${p}Service) {}`,
    ``,
    `  start(entity: ${p}Dto): void {`,
    `    if (this.active) this.active.next();`,
    `    const review = new ${p}ReviewStep(this, new ${p}Session(entity, Date.now()));`,
    `    this.active = review;`,
    `    review.announce();`,
    `    review.refresh();`,
    `    this.notice = new ${p}NotifyStep(this, new ${p}Session(entity, Date.now()));`,
    `    this.notice.show();`,
    `    const checklist = new ${p}ChecklistStep(this, new ${p}Session(entity, Date.now()));`,
    `    this.checklists.push(checklist);`,
    `    checklist.complete("welcome");`,
    `  }`,
    ``,
    `  dismissOthers(keep: ${p}Step): void {`,
    `    if (this.active !== keep) this.active = null;`,
    `    for (const checklist of this.checklists) checklist.refresh();`,
    `  }`,
    ``,
    `  syncStep(step: ${p}Step): void {`,
    `    this.lastSynced = step;`,
    `    void this.service.load(step.entityId());`,
    `  }`,
    ``,
    `  track(event: string, detail: string): void {`,
    `    void partnerClient.post("/v1/events", { event, detail }); ${OWNER_LEAK_MARK}`,
    `  }`,
    ``,
    `  debugState(): void {`,
    `    logger.debug({ active: this.lastSynced?.entityId(), checklists: this.checklists.length }, "${spec.name} workflow");`,
    `  }`,
    `}`,
    ``,
  ].join("\n");
}

/** The service's members that hold the workflow and start it; the controller (or router) calls `startWorkflow`. */
export function workflowMethod(spec: ModuleSpec): Method {
  return {
    outcome: "leak",
    call: `this.service.startWorkflow(body);`,
    lines: [
      `  private readonly workflow = new ${spec.pascal}Workflow(this);`,
      ``,
      `  startWorkflow(v: ${spec.pascal}Dto): void {`,
      `    this.workflow.start(v);`,
      `    this.workflow.debugState();`,
      `  }`,
    ],
  };
}

/** The import a service with a workflow needs. */
export function workflowImport(spec: ModuleSpec): string {
  return `import { ${spec.pascal}Workflow } from "./${spec.name}.workflow";`;
}

/** The recommended pack's data class of each kind of restricted field. */
const DATA_CLASS: Record<RestrictedKind, string> = {
  phone: "phone-number",
  email: "email-address",
  ip: "ip-address",
  location: "precise-location",
  deviceId: "device-id",
};

export interface PlantedLeak {
  file: string;
  /** 1-based line of the sink call. */
  line: number;
  dataClass: string;
}

/** The leaks planted in a module's workflow file (its text as workflowFile wrote it), at its marked lines. */
export function plantedLeaks(spec: ModuleSpec, file: string, text: string): PlantedLeak[] {
  const kind = spec.restricted[0]?.restricted;
  if (!kind) return [];
  const leaks: PlantedLeak[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.includes(OWNER_LEAK_MARK)) leaks.push({ file, line: i + 1, dataClass: DATA_CLASS[kind] });
  });
  return leaks;
}
