/**
 * The card a public form turns into once sent: the number the citizen keeps (an application's
 * case number, a claim report's number) and the way to follow its progress.
 */
export function DoneCard({
  testId,
  title,
  label,
  number,
  keep,
  action,
  onAction,
}: {
  /** Test ids: the card `${testId}-done`, the number `${testId}-no`, the button `${testId}-to-progress`. */
  testId: string;
  title: string;
  label: string;
  number: string;
  keep: string;
  action: string;
  onAction: () => void;
}) {
  return (
    <section className="card" data-testid={`${testId}-done`}>
      <h2>{title}</h2>
      <p className="muted">{label}</p>
      <p className="case-no" data-testid={`${testId}-no`}>
        {number}
      </p>
      <p>{keep}</p>
      <button type="button" className="primary" data-testid={`${testId}-to-progress`} onClick={onAction}>
        {action}
      </button>
    </section>
  );
}
