/**
 * A test of a name's words (`namesOperatorsOwn`, `namesOperatorsMachineOrPlaceholder`) answered once per name: the
 * model asks it at every read and declaration it classifies, and a gateway reads few distinct names many times (the
 * 50k generated gateway: 53,140 questions of 748 names, and 26,001 of 32; each split the name into words again). Made
 * per classifier, so per run: a long-lived process keeps no names of the trees it scanned before.
 */
export function answeredPerName(test: (name: string) => boolean): (name: string) => boolean {
  const answers = new Map<string, boolean>();
  return (name) => {
    let answer = answers.get(name);
    if (answer === undefined) {
      answer = test(name);
      answers.set(name, answer);
    }
    return answer;
  };
}
