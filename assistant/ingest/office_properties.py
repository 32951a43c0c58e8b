"""An Office file's document properties (``docProps/core.xml`` and ``docProps/custom.xml`` of a
.docx, .pptx or .xlsx), where a protective marking is often recorded: a "Classification" custom
property, the name of a sensitivity label (``MSIP_Label_…_Name``), the core "category".

python-docx, python-pptx and openpyxl read the core properties but not the custom ones, and the
three formats store both the same way, so they are read here once, from the zip itself.
"""

from __future__ import annotations

import io
import zipfile

MAX_PROPERTIES_BYTES = 1 << 20
"""A properties part larger than this is not read (a real one is a few kilobytes)."""


def office_properties(raw: bytes) -> dict[str, str]:
    """Every core and custom property with a text value, by name (core ones by their element
    name: "category", "subject", "keywords", "contentStatus"); {} when there are none or the
    parts cannot be read."""
    out: dict[str, str] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            for part in ("docProps/core.xml", "docProps/custom.xml"):
                try:
                    info = archive.getinfo(part)
                except KeyError:
                    continue
                if info.file_size > MAX_PROPERTIES_BYTES:
                    continue
                out.update(_properties(archive.read(info), custom=part.endswith("custom.xml")))
    except (zipfile.BadZipFile, OSError, ValueError):
        return {}
    return out


def _properties(xml: bytes, custom: bool) -> dict[str, str]:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError:
        return {}
    out = {}
    for element in root:
        if not isinstance(element.tag, str):
            continue
        if custom:
            name = element.get("name") or ""
            value = " ".join(" ".join(child.itertext()) for child in element)
        else:
            name = etree.QName(element).localname
            value = " ".join(element.itertext())
        value = " ".join(value.split())
        if name and value:
            out[name] = value
    return out
