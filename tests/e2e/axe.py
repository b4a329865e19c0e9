"""axe-core (from npm, pinned in package-lock.json) run inside the page: WCAG 2.1 AA."""

from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 A and AA, and axe's best practices (an empty table header is one).
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def violations(page) -> list[str]:
    """Each violating node as “rule: selector (summary)”; empty when the page passes."""
    if not AXE.exists():
        raise AssertionError(f"{AXE} is missing: run `make test-tools` (npm ci).")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, so a Content-Security-Policy does not block it.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            const why = (n) => (n.failureSummary || '').split('\\n').slice(1, 2).join('').trim();
            return result.violations.flatMap(
                v => v.nodes.map(n => `${v.id}: ${n.target.join(' ')} (${why(n)})`));
        }""",
        TAGS,
    )
    return list(found)
