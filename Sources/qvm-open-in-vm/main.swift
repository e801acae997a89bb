// Placeholder: see the issue that delivers this program.
print("qvm-open-in-vm: not implemented yet")
