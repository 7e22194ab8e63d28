// CPcap: the C surface FabricScope uses from libpcap and zlib.
//
// Every symbol defined here is prefixed `fabricscope_` so that it can never collide
// with a libpcap or libc symbol, and each exists for one reason that plain Swift
// cannot express well:
//
//  * libpcap reads offline files with stdio, and stock stdio reads 4 KiB at a time.
//    `fabricscope_set_buffer` installs a caller-owned 1 MiB stdio buffer before
//    libpcap sees the FILE, which is where most of the read speed comes from, and
//    turns off the FILE's per-call locking (one thread reads it).
//  * libpcap cannot read gzip-compressed captures. `fabricscope_gzip_fdopen` wraps a
//    zlib stream in a stdio FILE (glibc `fopencookie`), so libpcap reads decompressed
//    bytes without knowing. zlib passes non-gzip input through unchanged, which is
//    what makes standard input work whatever it carries.
//  * The cookie callbacks must be C function pointers; defining them here keeps all
//    pointer juggling out of Swift.
//  * The reading and the statistics threads hand batches over by polling (see
//    `BatchChannel`); `fabricscope_cpu_relax` is the CPU's spin-wait hint, which
//    Swift has no spelling for, and `fabricscope_usable_cpus` says whether spinning
//    can pay (the affinity call needs _GNU_SOURCE, like `fopencookie`).
//  * `fabricscope_heap_grow_in_steps` and `fabricscope_heap_top` let `HeapPages` back
//    the per-flow state with transparent huge pages: `mallopt` and its constants are
//    in `malloc.h`, which Swift's Glibc module does not import.
//  * `fabricscope_deflate_sized` compresses with a zlib hash table sized to the
//    input: `deflateInit2`, which takes the size, is a macro, which Swift cannot call.
//  * libpcap converts every timestamp to the precision asked for and forgets the
//    file's own resolution, which FabricScope must report. `fabricscope_peek` lets
//    Swift read the file header from the stdio buffer before libpcap consumes it.
#ifndef FABRICSCOPE_CPCAP_SHIM_H
#define FABRICSCOPE_CPCAP_SHIM_H


#include <stdio.h>

// Linux with glibc only: `stdio_ext.h`, `fopencookie`, `__fsetlocking` and the FILE
// buffer fields read by `fabricscope_peek` are glibc's. Package.swift declares no other
// platform; building elsewhere stops here with this message instead of deep in stdio.
#if !defined(__linux__) || !defined(__GLIBC__)
#error "FabricScope's capture shim needs Linux with glibc (fopencookie, stdio_ext.h)"
#endif

#include <stdio_ext.h>
#include <malloc.h>
#include <stdint.h>
#include <limits.h>
#include <unistd.h>
#include <pcap/pcap.h>
#include <zlib.h>

/// glibc's `cookie_io_functions_t`, declared here because the real one needs
/// _GNU_SOURCE, and defining that in a Clang module changes how every libc type
/// is declared (Swift then sees two different `fd_set`s). Same layout as glibc's.
typedef struct {
    ssize_t (*read)(void *cookie, char *buffer, size_t size);
    ssize_t (*write)(void *cookie, const char *buffer, size_t size);
    int (*seek)(void *cookie, long long *offset, int whence);
    int (*close)(void *cookie);
} fabricscope_cookie_io;

/// glibc's `fopencookie`, bound by its linker name under a name of our own.
extern FILE *fabricscope_fopencookie(void *cookie, const char *mode, fabricscope_cookie_io io)
    __asm__("fopencookie");

/// stdio read callback over a zlib stream: returns bytes read, 0 at end, -1 on error.
static ssize_t fabricscope_gzip_read(void *cookie, char *buffer, size_t size) {
    unsigned int chunk = size > (size_t)INT_MAX ? (unsigned int)INT_MAX : (unsigned int)size;
    int got = gzread((gzFile)cookie, buffer, chunk);
    return got < 0 ? -1 : (ssize_t)got;
}

/// stdio close callback: closes the zlib stream and its descriptor.
static int fabricscope_gzip_close(void *cookie) {
    return gzclose((gzFile)cookie) == Z_OK ? 0 : -1;
}

/// A read-only FILE that yields the decompressed bytes of `fd` (or the bytes
/// themselves when they are not gzip). Takes ownership of `fd`, also on failure
/// (it is closed then). NULL on failure.
static inline FILE *fabricscope_gzip_fdopen(int fd) {
    if (fd < 0) { return NULL; }
    gzFile stream = gzdopen(fd, "rb");
    if (stream == NULL) { close(fd); return NULL; }
    gzbuffer(stream, 1u << 20);
    fabricscope_cookie_io io = {
        .read = fabricscope_gzip_read, .write = NULL, .seek = NULL, .close = fabricscope_gzip_close
    };
    FILE *file = fabricscope_fopencookie(stream, "r", io);
    if (file == NULL) { gzclose(stream); }
    return file;
}

/// Installs `buffer` (of `size` bytes, owned by the caller until fclose) as the
/// stdio buffer of `file`. Returns 0 on success.
///
/// It also turns off stdio's internal locking for `file` (glibc's `__fsetlocking`):
/// libpcap calls `fread` twice per record, and in a multi-threaded process each call
/// takes and releases the FILE's lock. Only the reading thread ever touches the FILE.
static inline int fabricscope_set_buffer(FILE *file, void *buffer, size_t size) {
    __fsetlocking(file, FSETLOCKING_BYCALLER);
    return setvbuf(file, (char *)buffer, _IOFBF, size);
}

/// Fills `file`'s stdio buffer if it is empty and points `start` at the bytes it
/// holds, without consuming any. Returns how many bytes are visible (0 at end of
/// input). This is how the capture header is inspected on inputs that cannot be
/// read twice (standard input, a gzip stream): libpcap later reads the same bytes.
/// It relies on glibc's public `struct _IO_FILE` read pointers.
static inline size_t fabricscope_peek(FILE *file, const unsigned char **start) {
    int first = getc(file);
    if (first == EOF) { *start = NULL; return 0; }
    ungetc(first, file);
    *start = (const unsigned char *)file->_IO_read_ptr;
    return (size_t)(file->_IO_read_end - file->_IO_read_ptr);
}

/// Asks the CPU to start loading the cache line at `address` into every cache
/// level, without waiting for it. Swift has no spelling for the prefetch
/// instruction; the statistics use it to fetch a flow's table slot (which a lookup
/// only reads) a few packets ahead, so that the miss (nearly every packet's, at
/// 10^4 flows and more) overlaps other work.
static inline void fabricscope_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

/// glibc's `sched_getaffinity`, bound by its linker name (its declaration needs
/// _GNU_SOURCE, see above).
extern int fabricscope_sched_getaffinity(int pid, size_t size, void *mask) __asm__("sched_getaffinity");

/// How many CPUs this process may run on (its affinity mask, which `taskset` and
/// container CPU sets narrow); 1 when it cannot be read.
static inline int fabricscope_usable_cpus(void) {
    unsigned long mask[16] = {0};
    if (fabricscope_sched_getaffinity(0, sizeof mask, mask) != 0) { return 1; }
    int count = 0;
    for (int i = 0; i < 16; i++) { count += __builtin_popcountl(mask[i]); }
    return count > 0 ? count : 1;
}

/// Makes glibc grow the main heap (`brk`) in steps of `bytes` rather than 128 KiB
/// (`M_TOP_PAD`), so that `HeapPages` can advise each new step for transparent huge
/// pages before malloc has touched most of it. `mallopt` and its constants come
/// from `malloc.h`, which Swift's Glibc module does not import.
static inline void fabricscope_heap_grow_in_steps(int bytes) {
    mallopt(M_TOP_PAD, bytes);
}

/// The end of the main heap (`sbrk(0)`): where the last step of its growth ends.
static inline uintptr_t fabricscope_heap_top(void) {
    return (uintptr_t)sbrk(0);
}

/// Compresses `length` bytes of `in` into `out` (room for `*out_length` bytes, at
/// least `length + length / 8 + length / 64 + 64`) as one zlib stream (RFC 1950) at
/// the default level, as `compress2` does, but with the hash table and block sized
/// to the input instead of zlib's 64 KiB table. Sets `*out_length` to the stream's
/// length and returns zlib's status (Z_OK when whole).
///
/// Why: a summary compresses one HdrHistogram per distribution, most of them about
/// 40 bytes. `compress2` cleared a 64 KiB hash table for each: 9 % of writing a
/// 10⁴-flow summary. The window stays zlib's 32 KiB (allocated, never cleared), so
/// the stream's header is `compress2`'s; on the summaries measured, the bytes are too.
static inline int fabricscope_deflate_sized(uint8_t *out, unsigned long *out_length, const uint8_t *in, unsigned long length) {
    // One block (1 << (mem_level + 6) symbols) holds the whole input up to 16 KiB,
    // and the hash table (1 << (mem_level + 7) heads) has at least two heads a byte.
    int mem_level = 1;
    while (mem_level < 8 && (1ul << (mem_level + 6)) < length) { mem_level++; }
    z_stream stream = {0};
    int status = deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15, mem_level, Z_DEFAULT_STRATEGY);
    if (status != Z_OK) { return status; }
    stream.next_in = (Bytef *)in;
    stream.avail_in = (uInt)length;
    stream.next_out = out;
    stream.avail_out = (uInt)*out_length;
    status = deflate(&stream, Z_FINISH);
    *out_length = stream.total_out;
    deflateEnd(&stream);
    if (status == Z_STREAM_END) { return Z_OK; }
    return status == Z_OK ? Z_BUF_ERROR : status;
}

/// The spin-wait hint (x86 PAUSE, Arm YIELD): tells the core this thread is
/// polling, so it yields pipeline resources to a sibling and saves power.
static inline void fabricscope_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

#endif
