"""Activity photos: image types only (checked on the bytes), a size limit, a small JPEG thumbnail."""

import io
import os
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from db.models import PHOTO_MAX_BYTES
from services.campaigns.text import (
    ERR_PHOTO_EMPTY,
    ERR_PHOTO_TOO_LARGE,
    ERR_PHOTO_TOO_MANY,
    ERR_PHOTO_TYPE,
)

MAX_PHOTOS = 6
PHOTO_MAX_MB = PHOTO_MAX_BYTES // (1024 * 1024)
THUMBNAIL_SIZE = (240, 240)
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
UPLOAD_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
Image.MAX_IMAGE_PIXELS = 40_000_000  # a decompression bomb is refused, not decoded


@dataclass(frozen=True)
class Upload:
    """A photo as the browser sent it."""

    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class CheckedPhoto:
    """A photo that passed the checks: its safe name, the type read from its bytes, and a thumbnail."""

    filename: str
    content_type: str
    content: bytes
    thumbnail: bytes


def safe_name(filename: str) -> str:
    """The last path component, without control characters, at most 255 characters."""
    base = os.path.basename((filename or "").replace("\\", "/")).strip()
    return "".join(ch for ch in base if ch.isprintable())[:255]


def _image_type(content: bytes) -> str | None:
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
            return IMAGE_TYPES.get(image.format or "")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None


def thumbnail(content: bytes) -> bytes:
    """A JPEG at most THUMBNAIL_SIZE, for lists."""
    with Image.open(io.BytesIO(content)) as image:
        image = image.convert("RGB")
        image.thumbnail(THUMBNAIL_SIZE)
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=75)
        return out.getvalue()


def check_photos(uploads: list[Upload], errors: dict[str, str]) -> list[CheckedPhoto]:
    """The photos ready to store; refusals go to errors["photos"] (the type is read from the bytes, not the name)."""
    if len(uploads) > MAX_PHOTOS:
        errors["photos"] = ERR_PHOTO_TOO_MANY.format(count=MAX_PHOTOS)
        return []
    checked = []
    for upload in uploads:
        name = safe_name(upload.filename) or "照片"
        if not upload.content:
            errors["photos"] = ERR_PHOTO_EMPTY.format(name=name)
        elif len(upload.content) > PHOTO_MAX_BYTES:
            errors["photos"] = ERR_PHOTO_TOO_LARGE.format(name=name, mb=PHOTO_MAX_MB)
        elif (kind := _image_type(upload.content)) is None:
            errors["photos"] = ERR_PHOTO_TYPE.format(name=name)
        else:
            checked.append(CheckedPhoto(name, kind, upload.content, thumbnail(upload.content)))
    return checked
