# Kernel settings for the tests and the record command (IPYTHONDIR=data/ipython); readers'
# kernels never load this file.
#
# Importing TensorFlow makes its C++ runtime write two absl lines straight to file descriptor 2
# ("All log messages before absl::InitializeLog() ...", "oneDNN custom operations are on ...");
# TF_CPP_MIN_LOG_LEVEL does not silence them. ipykernel 6+ copies fd-level output into the
# notebook by default, where the lines would become stored stderr that differs between runs.
# Turning that copy off leaves them in the kernel's own log. Python-level warnings still reach
# the notebook (they go through sys.stderr), so the hygiene tests still see every real warning.
c.IPKernelApp.capture_fd_output = False

# Two test lanes start kernels at the same time with this one profile: no shared history database
# (data/ipython/profile_default/history.sqlite), so no "database is locked" between them.
c.HistoryManager.enabled = False
