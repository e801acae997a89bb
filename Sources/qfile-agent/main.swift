// Placeholder: see the issue that delivers this program.
print("qfile-agent: not implemented yet")
