"""The book's machinery, each rule written once: imported by the tools, the tests and the site."""
