"""Small helpers with no models: environment parsing, Vietnamese text, command errors."""
