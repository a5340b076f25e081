"""Signals of the documents package, so modules above it can react to a document's text without being imported.

`document_read` is sent when the extraction job (services.read_document) has read a document's pages, in the
job's transaction: `document_read.send(doc, text=..., ocr_pages=N)`, with the DocumentText, the text of its
pages together, and how many pages were read by OCR. The mail package subscribes: an agency's letter whose
text only OCR (or the job's own reader) could give is read for proposals then. A receiver's failure is
rolled back to a savepoint and logged; the document stays read.
"""

from blinker import Namespace

_signals = Namespace()
document_read = _signals.signal("document-read")
