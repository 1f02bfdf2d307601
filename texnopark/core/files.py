"""Uploaded files: a type we accept (by extension and by the file's first bytes) and a size limit.

Files are stored through Django's storage (`FileField`), never touched on disk by hand.
"""

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# extension -> the first bytes such a file starts with (None: plain text, no signature)
SIGNATURES = {
    "pdf": [b"%PDF"],
    "png": [b"\x89PNG"],
    "jpg": [b"\xff\xd8\xff"],
    "jpeg": [b"\xff\xd8\xff"],
    "docx": [b"PK\x03\x04"],
    "xlsx": [b"PK\x03\x04"],
    "pptx": [b"PK\x03\x04"],
    "doc": [b"\xd0\xcf\x11\xe0"],
    "xls": [b"\xd0\xcf\x11\xe0"],
    "zip": [b"PK\x03\x04"],
}
DOCUMENTS = ("pdf", "doc", "docx", "xls", "xlsx", "pptx", "png", "jpg", "jpeg")


@deconstructible
class FileCheck:
    def __init__(self, extensions=DOCUMENTS, max_mb: int = 10):
        self.extensions = tuple(extensions)
        self.max_mb = max_mb

    def __call__(self, upload):
        name = getattr(upload, "name", "") or ""
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if extension not in self.extensions:
            raise ValidationError(
                _("Files of this type are not accepted. Accepted: %(types)s.") % {
                    "types": ", ".join(self.extensions)}, code="file_type")
        if upload.size > self.max_mb * 1024 * 1024:
            raise ValidationError(
                _("The file is %(size)s; at most %(limit)s is accepted.") % {
                    "size": filesizeformat(upload.size), "limit": filesizeformat(self.max_mb * 1024 * 1024)},
                code="file_size")
        signatures = SIGNATURES.get(extension)
        # A stored file that is already saved is not re-read; only a fresh upload is checked.
        if signatures and not getattr(upload, "_committed", False):
            position = upload.tell() if hasattr(upload, "tell") else 0
            upload.seek(0)
            head = upload.read(8)
            upload.seek(position)
            if not any(head.startswith(sig) for sig in signatures):
                raise ValidationError(
                    _("The file's content does not match its type (.%(ext)s).") % {"ext": extension},
                    code="file_content")

    def __eq__(self, other):
        return isinstance(other, FileCheck) and (self.extensions, self.max_mb) == (other.extensions, other.max_mb)

    def __hash__(self):
        return hash((self.extensions, self.max_mb))


def download(field_file):
    """A stored upload as a download, for a view that has checked who may have it. A file missing from the
    storage is simply not found."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    return FileResponse(handle, as_attachment=True, filename=field_file.name.rsplit("/", 1)[-1])
