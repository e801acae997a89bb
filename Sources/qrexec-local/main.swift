// Placeholder: see the issue that delivers this program.
print("qrexec-local: not implemented yet")
