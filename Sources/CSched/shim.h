// The scheduler calls glibc declares only under _GNU_SOURCE, which Swift's Glibc module does
// not define: which core the thread runs on, and starting a thread on other cores.
#ifndef DUCHA_CSCHED_H
#define DUCHA_CSCHED_H
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <pthread.h>
#include <sched.h>

/// Sets `attributes` so that a thread started with them runs on any core this thread may use
/// but the one it is on now. Returns 0 when done; -1 (attributes untouched) when the core is
/// unknown or there is no other.
static inline int ducha_start_elsewhere(pthread_attr_t *attributes) {
    int here = sched_getcpu();
    cpu_set_t set;
    CPU_ZERO(&set);
    if (here < 0 || sched_getaffinity(0, sizeof set, &set) != 0) return -1;
    CPU_CLR(here, &set);
    if (CPU_COUNT(&set) == 0) return -1;
    return pthread_attr_setaffinity_np(attributes, sizeof set, &set) == 0 ? 0 : -1;
}
#endif
