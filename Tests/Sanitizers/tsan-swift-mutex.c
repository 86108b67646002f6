/* Makes the standard library's `Mutex` visible to ThreadSanitizer; `make test-tsan` preloads it (LD_PRELOAD).
 *
 * On Linux, Synchronization.Mutex locks with an inlined compare-and-swap (instrumented in our code, so ThreadSanitizer
 * sees it) and, when contended, with `_MutexHandle._lockSlow` / `_unlockSlow` in libswiftSynchronization.so, which
 * wait on a priority-inheritance futex inside the kernel. That library is not instrumented, so every contended
 * hand-over is invisible and ThreadSanitizer reports each access the mutex protects as a race (a false positive
 * reproduced with four threads incrementing one `Mutex<Int>`). These wrappers forward to the real functions and tell
 * ThreadSanitizer about the acquire and the release, on the handle's address (the word the inlined fast path uses).
 *
 * Swift passes `self` of these methods in the swiftself register: `swiftcall` with a `swift_context` parameter.
 * `__tsan_acquire` / `__tsan_release` come from the ThreadSanitizer runtime of the instrumented executable; they are
 * weak so that a process without it (a shell or compiler that inherits LD_PRELOAD) is unaffected. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdbool.h>
#include <stdint.h>

#define SWIFTCALL __attribute__((swiftcall))
#define SWIFT_SELF __attribute__((swift_context))

void __tsan_acquire(void *address) __attribute__((weak));
void __tsan_release(void *address) __attribute__((weak));

#define LOCK_SLOW "$s15Synchronization12_MutexHandleV9_lockSlowyys6UInt32VF"
#define TRY_LOCK_SLOW "$s15Synchronization12_MutexHandleV12_tryLockSlowSbyF"
#define UNLOCK_SLOW "$s15Synchronization12_MutexHandleV11_unlockSlowyyF"

typedef SWIFTCALL void (*lock_slow_fn)(uint32_t owner, void *SWIFT_SELF handle);
typedef SWIFTCALL bool (*try_lock_slow_fn)(void *SWIFT_SELF handle);
typedef SWIFTCALL void (*unlock_slow_fn)(void *SWIFT_SELF handle);

static lock_slow_fn real_lock_slow;
static try_lock_slow_fn real_try_lock_slow;
static unlock_slow_fn real_unlock_slow;

__attribute__((constructor)) static void find_real_functions(void) {
    real_lock_slow = (lock_slow_fn)dlsym(RTLD_NEXT, LOCK_SLOW);
    real_try_lock_slow = (try_lock_slow_fn)dlsym(RTLD_NEXT, TRY_LOCK_SLOW);
    real_unlock_slow = (unlock_slow_fn)dlsym(RTLD_NEXT, UNLOCK_SLOW);
}

SWIFTCALL void $s15Synchronization12_MutexHandleV9_lockSlowyys6UInt32VF(uint32_t owner, void *SWIFT_SELF handle) {
    if (!real_lock_slow) real_lock_slow = (lock_slow_fn)dlsym(RTLD_NEXT, LOCK_SLOW);
    real_lock_slow(owner, handle);
    if (__tsan_acquire) __tsan_acquire(handle);
}

SWIFTCALL bool $s15Synchronization12_MutexHandleV12_tryLockSlowSbyF(void *SWIFT_SELF handle) {
    if (!real_try_lock_slow) real_try_lock_slow = (try_lock_slow_fn)dlsym(RTLD_NEXT, TRY_LOCK_SLOW);
    bool locked = real_try_lock_slow(handle);
    if (locked && __tsan_acquire) __tsan_acquire(handle);
    return locked;
}

SWIFTCALL void $s15Synchronization12_MutexHandleV11_unlockSlowyyF(void *SWIFT_SELF handle) {
    if (!real_unlock_slow) real_unlock_slow = (unlock_slow_fn)dlsym(RTLD_NEXT, UNLOCK_SLOW);
    if (__tsan_release) __tsan_release(handle);
    real_unlock_slow(handle);
}
