"""council: a safe, paid, accountable working space for survivor advisory councils."""
