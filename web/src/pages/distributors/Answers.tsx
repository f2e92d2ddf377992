/** An application's answers, criterion by criterion, as text (the applicant's words are never HTML). */
export function Answers({ answers }: { answers: { criterion: string; answer: string }[] }) {
  return (
    <ol className="stack" data-testid="application-answers">
      {answers.map((a, i) => (
        <li key={i}>
          <p className="meta">{a.criterion}</p>
          <p className="prewrap">{a.answer}</p>
        </li>
      ))}
    </ol>
  );
}
