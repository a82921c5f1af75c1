"""SIF: 1.5/2.x XML files (parsed in worker processes when large) and SIF 3 REST."""
