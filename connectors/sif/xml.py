"""Safe, streaming SIF XML: objects read through defusedxml's expat, matched by local name."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any
from xml.parsers import expat
from xml.parsers.expat import ExpatError

from defusedxml import DefusedXmlException, DTDForbidden
from defusedxml.ElementTree import DefusedXMLParser

from connectors.base import ConnectorError

# The SIF objects this connector reads (UpperCamel; lowerCamel SIF 3 US names match too).
OBJECT_KINDS: frozenset[str] = frozenset(
    {
        "LEAInfo",
        "SchoolInfo",
        "TermInfo",
        "SchoolCourseInfo",
        "SectionInfo",
        "TeachingGroup",
        "StudentPersonal",
        "StaffPersonal",
        "StudentSectionEnrollment",
        "StudentSchoolEnrollment",
        "StaffAssignment",
    }
)

CHUNK = 1 << 16
# The longest text node kept, as for a CSV field: past it the document is refused.
TEXT_MAX = 131_072
# The most bytes expat may hold unparsed: a tag (its attributes) or a comment is never longer.
TOKEN_MAX = 1 << 20

# A raw object: (kind, [(path, text), ...] in document order, source label, line, status).
# Paths are local names joined by "/", attributes as ".../@Name", the object's own as "@Name".
Raw = tuple[str, list[tuple[str, str]], str, int, str]
Pairs = list[tuple[str, str]]


def canonical_name(raw: str) -> str:
    """A tag or attribute's local name without namespace or prefix, first letter upper case."""
    local = raw.rpartition("}")[2].rpartition(":")[2]
    return local[:1].upper() + local[1:]


def refusal(exc: Exception, head: bytes = b"") -> str:
    """One line saying why a document was refused (DTD, entities, XXE) or is unreadable."""
    if isinstance(exc, DTDForbidden):
        text = head.decode("latin-1")
        if "<!ENTITY" in text and ("SYSTEM" in text or "PUBLIC" in text):
            what = "an external entity (XXE)"
        elif "<!ENTITY" in text:
            what = "entity declarations (an XML bomb)"
        else:
            what = "a DTD"
        return f"refused: the document declares {what} in <!DOCTYPE>; SIF XML never needs a DTD"
    if isinstance(exc, DefusedXmlException):
        return f"refused: entity declarations or external references are not allowed ({exc})"
    if isinstance(exc, ExpatError):
        return f"not well-formed XML: {exc}"
    return f"unreadable XML: {exc}"


def _is_xmlns(name: str) -> bool:
    """True for a namespace declaration (xmlns or xmlns:prefix), never an attribute of its own."""
    return name.startswith("xmlns") and (len(name) == 5 or name[5] == ":")


def object_parser() -> Any:
    """A pyexpat parser for SIF objects that refuses a DTD, entity declarations and external
    references with defusedxml's own handlers.

    Namespaces are not processed: names arrive as written ("sif:LocalId" or "LocalId", shorter
    than "uri}LocalId" for expat to hand over) and are matched by local name all the same;
    namespace declarations are left out of the attributes.
    """
    guard = DefusedXMLParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = guard.defused_start_doctype_decl
    parser.EntityDeclHandler = guard.defused_entity_decl
    parser.UnparsedEntityDeclHandler = guard.defused_unparsed_entity_decl
    parser.ExternalEntityRefHandler = guard.defused_external_entity_ref_handler
    return parser


class _ObjectCollector:
    """Expat handlers that turn every wanted SIF object into a raw object, one pass, no tree."""

    def __init__(self, label: str, kinds: frozenset[str], parser: Any) -> None:
        """Install the handlers on a defused parser."""
        self.label = label
        self.kinds = kinds
        self.parser = parser
        self.out: list[Raw] = []
        self.without_refid: dict[str, int] = {}
        self.check_text: Callable[[], None] = lambda: None
        parser.buffer_text = True
        parser.ordered_attributes = True
        self._install()

    def _install(self) -> None:
        """Set the start, end and text handlers as closures (the hot path of every sync).

        Paths are kept in a tree of nodes, one per distinct path: {None: path, 0: parent node,
        name: child node}, so entering an element is one dict look-up from its parent's node and
        leaving it one more; a path is never built again. Text goes straight into a list.
        """
        names: dict[str, str] = {}
        kinds, out, parser, label = self.kinds, self.out, self.parser, self.label
        roots: dict[str, dict[Any, Any]] = {}
        root: dict[Any, Any] | None = None  # the node of the object being read, if any
        buf: list[str] = []  # text since the last tag, appended by expat itself (no call)
        pairs: Pairs | None = None
        node: dict[Any, Any] = {}
        skip = 0
        kind = ""
        line = 0
        action = ""

        def name_of(raw: str) -> str:
            try:
                return names[raw]
            except KeyError:
                local = names[raw] = canonical_name(raw)
                return local

        def child(parent: dict[Any, Any], raw: str) -> dict[Any, Any]:
            base, local = parent[None], name_of(raw)
            found = parent[raw] = {None: f"{base}/{local}" if base else local, 0: parent}
            return found

        def add_attributes(path: str, attrs: list[str]) -> None:
            for i in range(0, len(attrs), 2):
                if not _is_xmlns(attrs[i]):
                    pairs.append((f"{path}/@{name_of(attrs[i])}", attrs[i + 1]))  # type: ignore[union-attr]

        def start(name: str, attrs: list[str]) -> None:
            nonlocal pairs, node, root, skip, kind, line, action
            if buf:
                buf.clear()
            if root is not None:
                try:
                    node = node[name]
                except KeyError:
                    node = child(node, name)
                if attrs:
                    add_attributes(node[None], attrs)
                return
            if skip:
                skip += 1
                return
            local = name_of(name)
            if local in OBJECT_KINDS:
                own = [
                    (f"@{name_of(attrs[i])}", attrs[i + 1])
                    for i in range(0, len(attrs), 2)
                    if not _is_xmlns(attrs[i])
                ]
                if not any(k == "@RefId" for k, _ in own):
                    self.without_refid[local] = self.without_refid.get(local, 0) + 1
                    skip = 1
                elif local not in kinds:
                    skip = 1
                else:
                    pairs, kind, line = own, local, parser.CurrentLineNumber
                    node = root = roots.get(local) or roots.setdefault(local, {None: ""})
            elif local == "SIF_EventObject":
                action = dict(zip(attrs[::2], attrs[1::2], strict=False)).get("Action", "")

        def too_long(size: int) -> ConnectorError:
            where = f"{kind}/{node[None]}" if root is not None and node[None] else kind or "text"
            return ConnectorError(
                f"the text of <{where.rpartition('/')[2]}> ({where}) is over {TEXT_MAX:,} "
                f"characters; a SIF field is never that long",
                f"{label}:{parser.CurrentLineNumber}",
            )

        def end(name: str) -> None:
            nonlocal pairs, node, root, skip, action
            if root is None:
                if skip:
                    skip -= 1
                elif name_of(name) == "SIF_EventObject":
                    action = ""
                return
            if node is root:
                status = "tobedeleted" if action == "Delete" else "active"
                out.append((kind, pairs, label, line, status))  # type: ignore[arg-type]
                pairs = root = None
                return
            if buf:
                if len(buf) == 1:  # one piece is at most a parse chunk (under TEXT_MAX)
                    value = buf[0].strip()
                else:
                    value = "".join(buf)
                    if len(value) > TEXT_MAX:
                        raise too_long(len(value))
                    value = value.strip()
                buf.clear()
                if value:
                    pairs.append((node[None], value))  # type: ignore[union-attr]
            node = node[0]

        def check_text() -> None:
            """Between parse chunks: refuse a text node past TEXT_MAX before it is all read
            (outside the objects read, the text is never kept: let it go)."""
            if len(buf) > 8:
                if root is None:
                    buf.clear()
                    return
                size = sum(map(len, buf))
                if size > TEXT_MAX:
                    raise too_long(size)

        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = buf.append
        self.check_text = check_text


def iter_objects(
    read: Callable[[int], bytes],
    label: str,
    kinds: Iterable[str] = OBJECT_KINDS,
    notes: list[str] | None = None,
) -> Iterator[Raw]:
    """Stream the wanted objects of one XML document read in chunks; refuse DTDs and entities."""
    parser = object_parser()
    collector = _ObjectCollector(label, frozenset(kinds), parser)
    out, check_text = collector.out, collector.check_text
    head = b""
    fed = 0
    try:
        while True:
            chunk = read(CHUNK)
            if len(head) < 8192:
                head += chunk[:8192]
            fed += len(chunk)
            parser.Parse(chunk, not chunk)
            check_text()
            if fed - parser.CurrentByteIndex > TOKEN_MAX:
                raise ConnectorError(
                    f"a tag, attribute value or comment from here runs over {TOKEN_MAX >> 20} MB "
                    "without ending; SIF XML never holds one that long",
                    f"{label}:{parser.CurrentLineNumber}",
                )
            if out:
                yield from out
                out.clear()
            if not chunk:
                break
    except (ExpatError, DefusedXmlException, ValueError) as exc:
        line = getattr(exc, "lineno", None) or parser.CurrentLineNumber
        raise ConnectorError(refusal(exc, head), f"{label}:{line}") from None
    if notes is not None:
        for obj_kind, count in collector.without_refid.items():
            notes.append(f"{label}: {count} {obj_kind} element(s) without a RefId skipped")


def iter_objects_in_bytes(
    data: bytes,
    label: str,
    kinds: Iterable[str] = OBJECT_KINDS,
    notes: list[str] | None = None,
) -> Iterator[Raw]:
    """Stream the wanted objects of an XML document held in memory (a REST page)."""
    view = memoryview(data)
    pos = 0

    def read(size: int) -> bytes:
        nonlocal pos
        chunk = bytes(view[pos : pos + size])
        pos += size
        return chunk

    return iter_objects(read, label, kinds, notes)


def _strip_ns(_path: Any, key: str, value: Any) -> tuple[str, Any]:
    """xmltodict postprocessor: element and attribute names without their namespace."""
    if key.startswith("@"):
        return "@" + key[1:].rpartition("}")[2].rpartition(":")[2], value
    return (key if key == "#text" else key.rpartition("}")[2].rpartition(":")[2]), value


class _DefusedExpatModule:
    """Stands in for the pyexpat module so xmltodict parses through defusedxml's parser."""

    @staticmethod
    def ParserCreate(encoding: str | None = None, _sep: str | None = None) -> Any:
        """A defused parser (namespaces reported as 'uri}local', stripped afterwards)."""
        parser = DefusedXMLParser(forbid_dtd=True).parser
        parser.DefaultHandlerExpand = None
        return parser


def parse_small(data: bytes | str, label: str) -> dict[str, Any]:
    """A small document (a REST envelope, an error) as a dict, through defusedxml's expat."""
    import xmltodict  # here: the parse worker never needs it (nor its imports)

    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        return xmltodict.parse(raw, expat=_DefusedExpatModule, postprocessor=_strip_ns)
    except (ExpatError, DefusedXmlException, ValueError) as exc:
        raise ConnectorError(refusal(exc, raw[:8192]), label) from None


def looks_like_xml(head: bytes) -> bool:
    """True when a file starts like an XML document (after a BOM and white space)."""
    stripped = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if stripped.startswith((b"\xff\xfe", b"\xfe\xff")) or head.startswith(
        (b"\xff\xfe", b"\xfe\xff")
    ):
        return True
    return stripped.startswith(b"<")
