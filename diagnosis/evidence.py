"""Evidence files: what an upload is by its content, the image re-encoded, the bytes kept by hash.

No Flask here: `check` takes a name and bytes and returns what to store, or raises `Refused` with a
code the web layer puts in words (diagnosis/web/evidence/views.py).

- The type comes from the content (puremagic), never from the name or the browser's Content-Type;
  the name's extension must then agree with it. Zip containers are opened: a .docx or .xlsx is
  only one whose [Content_Types].xml declares a Word document's or a workbook's main part (and the
  part exists), so a renamed .zip, .jar, .docm or .xlsm is refused.
- Images (JPEG, PNG, WebP) are decoded by Pillow restricted to the one format the content showed,
  after a pixel-count check (decompression bombs), turned upright by their EXIF orientation,
  shrunk to at most `Limits.max_side` on the long side, and written anew without any metadata but
  the colour profile: no EXIF (GPS, camera, time), no XMP, no comment. Output: PNG when the image
  has transparency (a diagram, a screenshot with alpha), JPEG for everything else; the stored name
  takes the stored format's extension. HEIC is refused with its own message: Pillow cannot decode
  it without pillow-heif (libheif), which this platform does not ship.
- PDF, XLSX and DOCX are stored as they are, checked. Every download is an attachment
  (the web layer), so a PDF's scripts never run in the platform's origin.
- Files are stored under ``<root>/<sha[:2]>/<sha256>`` of the stored bytes: written once per
  content, atomically (a temporary file in the same folder, then a rename).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, cast
from xml.etree import ElementTree

import puremagic
from PIL import Image, ImageOps


@dataclass(frozen=True)
class Kind:
    content_type: str
    extensions: tuple[str, ...]
    #: Pillow's format name for images (decoded and re-encoded); None: stored as uploaded.
    image_format: str | None = None


KINDS = {
    "jpeg": Kind("image/jpeg", (".jpg", ".jpeg", ".jpe", ".jfif"), "JPEG"),
    "png": Kind("image/png", (".png",), "PNG"),
    "webp": Kind("image/webp", (".webp",), "WEBP"),
    "pdf": Kind("application/pdf", (".pdf",)),
    "xlsx": Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)),
    "docx": Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)),
}
#: The main part's content type that makes a zip container a workbook or a Word document.
OFFICE_MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
}
#: What puremagic names a content, mapped to the kind that decides it ("zip": opened to decide).
MIME_KINDS = {"image/jpeg": "jpeg", "image/png": "png", "image/webp": "webp", "application/pdf": "pdf",
              "image/heic": "heic", "image/heif": "heic", "application/zip": "zip"}
#: ISO-BMFF brands of HEIF/HEIC photos (iPhone, iPad): refused with a message of their own.
HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}
STORED_FORMATS = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png")}
#: A PDF ends with %%EOF within its last kilobyte or so (trailing blank lines allowed).
PDF_TAIL = 2048
CONTENT_TYPES_MAX = 1024 * 1024
NAME_MAX = 255


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 15 * 1024 * 1024
    max_pixels: int = 50_000_000
    max_side: int = 2560
    jpeg_quality: int = 85


class Refused(Exception):
    """An upload that is not stored. ``code``: empty | too_large | wrong_type | name_mismatch | heic |
    too_many_pixels | unreadable; ``detail`` fills the message (limit, extension, kind)."""

    def __init__(self, code: str, **detail: Any) -> None:
        super().__init__(code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Checked:
    """What to store: the bytes (re-encoded for an image), their type and the name to show."""

    data: bytes
    content_type: str
    name: str
    sha256: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "sha256", hashlib.sha256(self.data).hexdigest())

    @property
    def size(self) -> int:
        return len(self.data)


def read_limited(stream: Any, limits: Limits) -> bytes:
    """The upload's bytes, reading one byte past the limit at most.

    :raise Refused: too_large, empty
    """
    data = stream.read(limits.max_file_bytes + 1)
    if len(data) > limits.max_file_bytes:
        raise Refused("too_large", limit=limits.max_file_bytes)
    if not data:
        raise Refused("empty")
    return data


def display_name(raw: str | None) -> str:
    """The name as the user gave it, safe to show: the last path component (old browsers send the
    whole path), NFC, without control or format characters (a right-to-left override makes
    "gpj.exe" look like "exe.jpg"), blanks collapsed, at most NAME_MAX characters, extension kept."""
    name = re.split(r"[/\\]", raw or "")[-1]
    name = unicodedata.normalize("NFC", name)
    name = "".join(char for char in name if unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co", "Cn"))
    name = " ".join(name.split())
    if len(name) > NAME_MAX:
        suffix = PurePosixPath(name).suffix[:16]
        name = name[: NAME_MAX - len(suffix)] + suffix
    return name


def extension(name: str) -> str:
    return PurePosixPath(name).suffix.lower()


def check(raw_name: str | None, data: bytes, limits: Limits) -> Checked:
    """Decide one upload: its kind by content, the name's extension against it, images re-encoded.

    :raise Refused: whatever makes it unfit to store
    """
    if len(data) > limits.max_file_bytes:
        raise Refused("too_large", limit=limits.max_file_bytes)
    if not data:
        raise Refused("empty")
    name = display_name(raw_name)
    kind_id = sniff(data)
    if kind_id == "heic":
        raise Refused("heic")
    if kind_id is None:
        raise Refused("wrong_type")
    kind = KINDS[kind_id]
    if extension(name) not in kind.extensions:
        raise Refused("name_mismatch", extension=extension(name) or "—", kind=kind.extensions[0])
    if kind.image_format is None:
        return Checked(data, kind.content_type, name)
    stored, stored_format = reencode(data, kind.image_format, limits)
    content_type, suffix = STORED_FORMATS[stored_format]
    if stored_format != kind.image_format:
        name = name[: len(name) - len(PurePosixPath(name).suffix)] + suffix
    return Checked(stored, content_type, name)


def sniff(data: bytes) -> str | None:
    """The kind of the content (a KINDS key, or "heic"), None when it is none of them."""
    if data[4:8] == b"ftyp" and heif_brand(data):
        return "heic"
    try:
        matches = puremagic.magic_string(data)
    except (puremagic.PureError, ValueError):
        return None
    for match in matches:
        kind = MIME_KINDS.get(match.mime_type)
        if kind is None and ("openxmlformats" in match.mime_type or "macroenabled" in match.mime_type):
            kind = "zip"
        if kind == "zip":
            return office_kind(data)
        if kind == "pdf":
            return "pdf" if data.startswith(b"%PDF-") and b"%%EOF" in data[-PDF_TAIL:] else None
        if kind is not None:
            return kind
    return None


def heif_brand(data: bytes) -> bool:
    """An ISO-BMFF file whose major or compatible brands are HEIF's (the ftyp box at the start)."""
    box_size = int.from_bytes(data[:4], "big")
    brands = data[8:min(box_size, 64)]
    return any(brands[i:i + 4] in HEIF_BRANDS for i in range(0, len(brands) - 3, 4))


def office_kind(data: bytes) -> str | None:
    """"xlsx" or "docx" for an Office Open XML file whose main part is declared and present."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = set(archive.namelist())
            if "[Content_Types].xml" not in parts:
                return None
            with archive.open("[Content_Types].xml") as member:
                declared = member.read(CONTENT_TYPES_MAX + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, NotImplementedError, EOFError, ValueError):
        return None
    if len(declared) > CONTENT_TYPES_MAX:
        return None
    try:
        root = ElementTree.fromstring(declared)
    except ElementTree.ParseError:
        return None
    for override in root.iter():
        if not override.tag.endswith("Override"):
            continue
        kind = OFFICE_MAIN_TYPES.get(override.get("ContentType", ""))
        if kind is not None and override.get("PartName", "").lstrip("/") in parts:
            return kind
    return None


def reencode(data: bytes, image_format: str, limits: Limits) -> tuple[bytes, str]:
    """The image decoded, upright, shrunk and written anew without metadata: (bytes, format).

    :raise Refused: too_many_pixels (also Pillow's own DecompressionBomb warning or error),
        unreadable (any decoder failure: truncated, corrupt, an unsupported mode)
    """
    # Process-wide, like Pillow's default it replaces: nothing else in the app decodes uploads.
    Image.MAX_IMAGE_PIXELS = limits.max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[image_format])
        width, height = image.size
        if width * height > limits.max_pixels:
            raise Refused("too_many_pixels", limit=limits.max_pixels)
        return _redraw(image, limits)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Refused("too_many_pixels", limit=limits.max_pixels) from None
    except Refused:
        raise
    except Exception:  # noqa: BLE001 - a hostile file can break a decoder in many ways: all are "unreadable"
        raise Refused("unreadable") from None


def _redraw(image: Image.Image, limits: Limits) -> tuple[bytes, str]:
    if image.format == "JPEG":
        # Let the JPEG decoder scale down by 1/2, 1/4 or 1/8 while it decodes when that still
        # leaves at least the target size: a 48-megapixel photo then never exists in memory.
        image.draft(None, _target_size(image.size, limits.max_side))
    image.load()
    icc_profile = image.info.get("icc_profile")
    transparent = has_transparency(image)
    ImageOps.exif_transpose(image, in_place=True)
    if transparent:
        image = image.convert("RGBA")
    elif image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    if max(image.size) > limits.max_side:
        image.thumbnail((limits.max_side, limits.max_side), Image.Resampling.LANCZOS, reducing_gap=3.0)
    # exif_transpose keeps EXIF (GPS included) and the JPEG comment in .info, and save() falls back
    # to .info for some of them: start from nothing but the colour profile.
    image.info = {}
    out = io.BytesIO()
    options: dict[str, Any] = {"icc_profile": icc_profile} if icc_profile else {}
    if transparent:
        image.save(out, "PNG", **options)
        return out.getvalue(), "PNG"
    image.save(out, "JPEG", quality=limits.jpeg_quality, **options)
    return out.getvalue(), "JPEG"


def _target_size(size: tuple[int, int], max_side: int) -> tuple[int, int]:
    width, height = size
    scale = min(1.0, max_side / max(width, height))
    return max(1, int(width * scale)), max(1, int(height * scale))


def has_transparency(image: Image.Image) -> bool:
    """An alpha channel with a pixel that is not opaque, or a transparent palette/colour key."""
    if "transparency" in image.info:
        return True
    if image.mode in ("RGBA", "LA", "PA"):
        low, _high = cast(tuple[int, int], image.getchannel("A").getextrema())  # one band: (min, max)
        return low < 255
    return False


def stored_path(root: Path | str, sha256: str) -> Path:
    return Path(root) / sha256[:2] / sha256


def store(root: Path | str, checked: Checked) -> Path:
    """Write the file under its hash, once: an existing file of that hash is the same content."""
    path = stored_path(root, checked.sha256)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(checked.data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
