"""Makers of hostile input files for tests/test_hostile.py (each writes into a folder, returns
the path to pass to the CLI).  Big inputs are sparse or streamed: nothing here holds more than
a few MB in the test process."""
from __future__ import annotations

import functools
import io
import os
import random
import zipfile
from collections.abc import Callable
from pathlib import Path

from tests.fixtures import write_docx, write_html

Maker = Callable[[Path], Path]

GOOD_TEXT = "到2025年，全区社会消费品零售总额达到407亿元，年均增长7%。"


def _maker(name: str, create: Callable[[Path], object]) -> Maker:
    """A maker that runs ``create(folder / name)`` and returns that path."""
    def make(folder: Path) -> Path:
        create(folder / name)
        return folder / name
    return make


def raw(name: str, data: bytes) -> Maker:
    return _maker(name, lambda path: path.write_bytes(data))


def text(name: str, content: str, encoding: str = "utf-8") -> Maker:
    return raw(name, content.encode(encoding))


def nested_html(depth: int) -> Maker:
    return text(f"nested{depth}.html",
                "<html><body>" + "<div>" * depth + GOOD_TEXT + "</div>" * depth + "</body></html>")


#: A UTF-8 file with a GBK paragraph pasted in (what copy-paste between editors makes).
mixed_encodings = raw("mixed.txt", ("第一部分：" + GOOD_TEXT + "\n").encode("utf-8") * 3
                      + "第二部分：网络零售额增长12%。\n".encode("gbk"))


def sparse(name: str, size: int) -> Maker:
    """A file of ``size`` bytes that takes no space on disk (and must never be read)."""
    return _maker(name, lambda path: path.touch() or os.truncate(path, size))


def symlink_to(name: str, target: str) -> Maker:
    return _maker(name, lambda path: path.symlink_to(target))


def directory(name: str) -> Maker:
    """A folder named like a document, with a document inside."""
    return _maker(name, lambda path: path.mkdir() or (path / "inside.txt").write_text(
        GOOD_TEXT, encoding="utf-8"))


def _rezip(source: Path, target: Path, replace: dict[str, bytes],
           extra: Callable[[zipfile.ZipFile], None] | None = None) -> Path:
    """``source`` (a DOCX) copied to ``target`` with some members replaced or added."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, replace.get(item.filename, src.read(item.filename)))
        if extra:
            extra(dst)
    return target


def docx_zip_bomb(folder: Path, megabytes: int = 200) -> Path:
    """A real DOCX with a media part that inflates to ``megabytes`` of zeros (~200 KB on disk).
    Written in 1 MB chunks, so making it never holds the inflated bytes."""
    def bomb(dst: zipfile.ZipFile) -> None:
        chunk = bytes(1024 * 1024)
        with dst.open("word/media/image1.png", "w") as f:
            for _ in range(megabytes):
                f.write(chunk)

    plain = write_docx(GOOD_TEXT, folder / "plain-for-bomb.docx")
    target = _rezip(plain, folder / "bomb.docx", {}, bomb)
    plain.unlink()
    return target


LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<!DOCTYPE w:document [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
              for i in range(1, 10))
    + ']>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
)


def docx_entities(folder: Path) -> Path:
    """A DOCX whose document.xml declares a billion-laughs entity expansion."""
    plain = write_docx(GOOD_TEXT, folder / "plain-for-laughs.docx")
    target = _rezip(plain, folder / "laughs.docx", {"word/document.xml": LAUGHS.encode()})
    plain.unlink()
    return target


@functools.cache
def _pdf(kind: str) -> bytes:
    """A one-page PDF like a scan (Pillow draws an image and saves it as PDF: no text layer),
    or that PDF encrypted with a user password (pypdf).  Made once a session, in < 1 s."""
    from PIL import Image, ImageDraw
    from pypdf import PdfReader, PdfWriter

    image = Image.new("RGB", (600, 200), "white")
    ImageDraw.Draw(image).text((20, 80), "scan 2022", fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="PDF")
    if kind == "image":
        return buffer.getvalue()
    writer = PdfWriter(clone_from=PdfReader(buffer))
    writer.encrypt(user_password="secret", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def truncated_pdf(folder: Path) -> Path:
    data = _pdf("image")
    return raw("truncated.pdf", data[: len(data) // 2])(folder)


def encrypted_pdf(folder: Path) -> Path:
    return raw("locked.pdf", _pdf("encrypted"))(folder)


def image_only_pdf(folder: Path) -> Path:
    return raw("scan.pdf", _pdf("image"))(folder)


def good_html(folder: Path) -> Path:
    return write_html(GOOD_TEXT, folder / "page.html")


def random_bytes(folder: Path) -> Path:
    path = folder / "random.txt"
    path.write_bytes(random.Random(10).randbytes(64 * 1024))
    return path


def read_tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path (to compare two output folders)."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}
