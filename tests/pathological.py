"""A corpus of pathological input: what made Python-Markdown super-linear, and more.

Each entry is a function of a size n (about n characters), so tests can compare n with 4n and the
benchmark can run the sizes the security probe used. Shared by the tests and bench/pathological.py.
"""


def _nested_quotes(n: int) -> str:
    lines, depth = [], 1
    while sum(map(len, lines)) < n:
        lines.append(">" * depth + " a")
        depth = depth % 200 + 1
    return "\n".join(lines)


def _nested_lists(n: int) -> str:
    lines, depth = [], 0
    while sum(map(len, lines)) < n:
        lines.append("  " * depth + "- a")
        depth = depth % 100 + 1
    return "\n".join(lines)


def _link_references(n: int) -> str:
    count = max(1, n // 24)
    definitions = "".join(f"[r{i}]: https://example.com/{i}\n" for i in range(count // 2))
    return definitions + "\n" + "".join(f"[x][r{i}] " for i in range(count // 2))


CORPUS = {
    "unclosed brackets": lambda n: "[" * n,
    "bracket words": lambda n: "[abcd" * (n // 5),
    "image brackets": lambda n: "![" * (n // 2),
    "emphasis runs": lambda n: "*a" * (n // 2),
    "underscore runs": lambda n: "_a " * (n // 3),
    "strong runs": lambda n: "**a" * (n // 3),
    "backticks": lambda n: "`a" * (n // 2),
    "open links": lambda n: "[a](" * (n // 4),
    "angle brackets": lambda n: "<a " * (n // 3),
    "entities": lambda n: "&amp;&" * (n // 6),
    "nested quotes": _nested_quotes,
    "nested lists": _nested_lists,
    "link references": _link_references,
    "urls": lambda n: "http://" * (n // 7),
    "an address closing many brackets": lambda n: "https://a" + ")" * (n - 9),
    "nul bytes": lambda n: "a\x00" * (n // 2),
    "huge line": lambda n: "x" * n,
}
BENIGN = "The candidate explained attention clearly and gave an example. "


def benign(n: int) -> str:
    return (BENIGN * (n // len(BENIGN) + 1))[:n]
