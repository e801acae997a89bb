// Sanitizer builds only (make check-asan): defaults the AddressSanitizer runtime reads at start.
// LeakSanitizer walks /proc/self/task at exit; the receiver has chrooted away from /proc by
// then, so the check fails and turns every exit status into 1. Leaks are measured instead by
// the exhaustion runs (peak memory stays flat over a million entries).
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CLINUX_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define CLINUX_ASAN 1
#endif

#ifdef CLINUX_ASAN
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "detect_leaks=0"; }
#endif
