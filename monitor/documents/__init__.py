"""Document writers: a `domain.briefing.Briefing` as .docx (python-docx), charts as PNG, PDF via LibreOffice."""
