"""Text of every stored document (PDF text layer, plain text, HTML; OCR for scans), search, redaction check."""
