"""The rich-text sanitiser keeps only links that stay links: generated spellings of hostile
URLs (schemes in any case, with entities, tabs, controls; protocol-relative paths) never
survive, and ordinary links do."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from ratusz.consultations.core.richtext import sanitize

HOSTILE_SCHEMES = ("javascript", "data", "vbscript", "jAvAsCrIpT", "file", "blob")
PAYLOADS = ("alert(1)", "text/html;base64,PHNjcmlwdD4=", "msgbox(1)", "//evil.example/")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.hrefs += [value or "" for name, value in attrs if name == "href"]


def _links(markup: str) -> _Links:
    parser = _Links()
    parser.feed(markup)
    return parser


def _where_a_browser_goes(href: str) -> tuple[str, bool]:
    """(scheme or "", whether it names another host) as a browser reads the href: tabs and
    line breaks dropped, controls and spaces trimmed, backslashes read as slashes."""
    seen = re.sub(r"[\t\n\r]", "", href).strip("".join(map(chr, range(0x21)))).replace("\\", "/")
    scheme = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", seen)
    if scheme:
        return scheme.group(1).lower(), True
    return "", seen.startswith("//")


def _assert_only_safe_links(markup: str) -> None:
    for href in _links(markup).hrefs:
        scheme, other_host = _where_a_browser_goes(href)
        assert scheme in {"", "http", "https", "mailto"}, href
        if not scheme:
            assert not other_host, f"protocol-relative link survived: {href!r}"


def _entity(char: str, style: int) -> str:
    code = ord(char)
    return [f"&#{code};", f"&#x{code:x};", f"&#X{code:02X};", f"&#0000{code}", char][style]


@st.composite
def spelled(draw: st.DrawFn, text: str) -> str:
    """`text` with each character maybe in another case, as an entity, or after a tab/newline."""
    out = []
    for char in text:
        if char.isalpha() and draw(st.booleans()):
            char = char.swapcase()
        out.append(draw(st.sampled_from(["", "", "", "\t", "\n", "&#9;", "&#x0A;"])))
        out.append(_entity(char, draw(st.integers(0, 4))))
    return "".join(out)


leading = st.lists(st.sampled_from([" ", "\x01", "\x0c", "&#32;", "&#x1F;"]), max_size=3).map(
    "".join
)


@st.composite
def hostile_href(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        scheme = draw(spelled(draw(st.sampled_from(HOSTILE_SCHEMES)) + ":"))
        return draw(leading) + scheme + draw(st.sampled_from(PAYLOADS))
    slashes = draw(
        st.lists(
            st.sampled_from(["/", "\\", "&#47;", "&#x2F;", "&sol;", "&bsol;", "&#92;"]),
            min_size=2,
            max_size=3,
        )
    )
    between = draw(st.sampled_from(["", "\t", "\n", "&#9;"]))
    return draw(leading) + slashes[0] + between + "".join(slashes[1:]) + "evil.example/x"


@settings(max_examples=150, deadline=None)
@given(href=hostile_href(), quote=st.sampled_from(['"', "'", ""]))
def test_hostile_links_never_survive(href, quote):
    markup = f"<p><a href={quote}{href}{quote}>link</a> text</p>"
    cleaned = sanitize(markup)
    _assert_only_safe_links(cleaned)
    assert "link" in cleaned  # the words stay, only the link target goes


def test_protocol_relative_spellings_are_refused():
    for href in ("//evil.example", "/\\evil.example", "\\\\evil.example", " //evil.example",
                 "&#47;/evil.example", "/\t/evil.example", "https:evil.example", "http:/\\evil.example"):  # fmt: skip
        assert "href" not in sanitize(f'<a href="{href}">x</a>'), href


@settings(max_examples=60, deadline=None)
@given(
    path=st.text(alphabet="abcz09-_", min_size=1, max_size=12),
    kind=st.sampled_from(
        ["https://example.org/", "http://example.org/", "/", "#", "?q=", "mailto:"]
    ),
)
def test_ordinary_links_stay(path, kind):
    href = kind + path + ("@example.org" if kind == "mailto:" else "")
    assert _links(sanitize(f'<a href="{html.escape(href)}">x</a>')).hrefs == [href]
