// Placeholder until the sender and receiver land.
enum FilecopyPlaceholder {}
