"""Root of the test suite: plain `pytest` and `make test` run the same thing (see pytest.ini)."""

pytest_plugins = ["dlbook.pytest_plugin"]
