import Testing
// Placeholder until the suite is written.
@Test func placeholder() {}
