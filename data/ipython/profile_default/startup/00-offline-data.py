# Loaded only by kernels started with IPYTHONDIR=data/ipython (the tests and the record command),
# never by a reader's Jupyter, Colab or Binder. With DLBOOK_DATA_DIR set, Keras's dataset calls
# read the verified offline mirror (see data/offline.py). Everything runs inside a function so
# that no name is left in the notebook's namespace.
def _dlbook_offline_data():
    import importlib.util
    import os

    if not os.environ.get("DLBOOK_DATA_DIR"):
        return
    data_folder = os.path.dirname(os.path.abspath(os.environ["IPYTHONDIR"]))
    spec = importlib.util.spec_from_file_location(
        "dlbook_offline", os.path.join(data_folder, "offline.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.install()


_dlbook_offline_data()
del _dlbook_offline_data
