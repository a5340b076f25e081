"""Documents the tests make for themselves: WeasyPrint PDFs (a text layer), the same pages rasterised with
pdftoppm and wrapped back into a PDF (scans), a black box drawn over live text (a failed redaction), and text
truly removed under its box (a good one)."""

from __future__ import annotations

import functools
import io
import subprocess
import tempfile
from pathlib import Path

from PIL import Image

STYLE = "@page { size: Letter; margin: 1in } body { font: 16pt 'DejaVu Sans', sans-serif; line-height: 1.6 }"


def text_pdf(pages: list[str]) -> bytes:
    """A PDF with a text layer: one page per string."""
    return _text_pdf(tuple(pages))


@functools.cache
def _text_pdf(pages: tuple[str, ...]) -> bytes:
    from weasyprint import HTML

    body = "".join(f'<section style="page-break-after: always"><p>{p}</p></section>' for p in pages)
    return HTML(string=f"<html><head><style>{STYLE}</style></head><body>{body}</body></html>").write_pdf()


def scanned_pdf(pages: list[str], dpi: int = 150) -> bytes:
    """The same pages rasterised with poppler's pdftoppm and wrapped back into a PDF: images, no text layer."""
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "text.pdf"
        source.write_bytes(text_pdf(pages))
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(source), str(Path(work) / "page")],
                       check=True)
        images = [Image.open(p).convert("L") for p in sorted(Path(work).glob("page*.png"))]
        out = io.BytesIO()
        images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
        return out.getvalue()


def redacted_pdf(*, failed: bool, name: str = "Jordan Whitfield") -> bytes:
    """A page where a black box covers a witness's name. failed=True: the name is still in the text layer
    under the box (drawn over live text); failed=False: the name was removed and only the box is there."""
    from weasyprint import HTML

    hidden = name if failed else "&nbsp;" * (len(name) * 2)
    html = (f"<html><head><style>{STYLE} .box {{ background: black; color: black }}</style></head><body>"
            f"<p>Report of investigation 2026-OPR-0042.</p>"
            f"<p>The witness <span class='box'>{hidden}</span> told investigators that the detainee asked for a "
            "doctor three times before the transfer.</p><p>Page one of one.</p></body></html>")
    return HTML(string=html).write_pdf()


def image_bytes(text_pages: list[str], fmt: str = "PNG", dpi: int = 150) -> bytes:
    """The first page of a text PDF as an image file (PNG, JPEG or TIFF)."""
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "text.pdf"
        source.write_bytes(text_pdf(text_pages))
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", "-f", "1", "-l", "1", str(source),
                        str(Path(work) / "page")], check=True)
        image = Image.open(next(Path(work).glob("page*.png")))
        out = io.BytesIO()
        image.save(out, fmt)
        return out.getvalue()


def huge_png(side: int = 30_000) -> bytes:
    """A 30,000 x 30,000 one-bit PNG: small on disk, 900 million pixels once decoded."""
    out = io.BytesIO()
    Image.new("1", (side, side), 1).save(out, "PNG", optimize=True)
    return out.getvalue()


def nested_pdf(depth: int = 50_000) -> bytes:
    """A PDF whose page's /Resources is an array nested `depth` levels deep."""
    nested = "[" * depth + "]" * depth
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /X {nested} >> >>",
        "<< /Length 0 >>\nstream\n\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode())
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def encrypted_pdf(password: str = "secret") -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf(["Locked page."]))))
    writer.encrypt(user_password=password, owner_password=password + "-owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def many_pages_pdf(count: int = 2000) -> bytes:
    """A long PDF made quickly: one text page copied `count` times."""
    from pypdf import PdfReader, PdfWriter

    page = PdfReader(io.BytesIO(text_pdf(["One page of a very long release."]))).pages[0]
    writer = PdfWriter()
    for _ in range(count):
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
