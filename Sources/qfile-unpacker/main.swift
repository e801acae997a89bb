print("qfile-unpacker: not implemented yet")
