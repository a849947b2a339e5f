"""Document rendering primitives: DOCX from templates, XLSX, PDF through LibreOffice, QR codes."""
