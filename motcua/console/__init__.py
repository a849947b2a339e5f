"""Entry-point commands that span apps (`motcua import ...`)."""
