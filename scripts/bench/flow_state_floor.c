/* A floor under the cost of per-flow statistics: the libpcap read loop of
 * pcap_loop_baseline.c, plus, for every RoCEv2 packet (Ethernet, IPv4, UDP 4791),
 * a lookup of its flow (source, destination, destination QP) in an open-addressing
 * table with 64-byte slots, and an update of one word in each of LINES cache lines
 * of the flow's own state (STATE_BYTES, allocated when the flow is first seen).
 *
 * It keeps no statistics: it only pays for reaching a flow's state, which any
 * analyzer that keeps per-flow counters, sequence state, queues of outstanding
 * requests and latency histograms must reach. With many flows in round robin
 * (scripts/bench/make_flows.py) every packet's state has left the cache, so its
 * time against pcap_loop_baseline shows what the number of lines a packet touches
 * costs by itself, on this machine, in one thread.
 *
 * Build: cc -O2 -o flow_state_floor flow_state_floor.c -lpcap
 * Usage: flow_state_floor FILE LINES STATE_BYTES */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct slot { uint32_t source, destination, qp; int32_t flow; uint8_t padding[48]; };

struct table {
    struct slot *slots;
    size_t mask, count;
    unsigned char **states;
    size_t lines, state_bytes, capacity;
    unsigned long long records;
};

static size_t hash(uint32_t s, uint32_t d, uint32_t q) {
    uint64_t h = ((uint64_t)s << 32 | d) * 0x9e3779b97f4a7c15ull;
    h = (h ^ q ^ (h >> 29)) * 0xbf58476d1ce4e5b9ull;
    return (size_t)(h ^ (h >> 31));
}

static void grow(struct table *t) {
    struct slot *old = t->slots;
    size_t old_size = t->mask + 1, size = old_size * 2;
    t->slots = calloc(size, sizeof *t->slots);
    for (size_t i = 0; i < size; i++) t->slots[i].flow = -1;
    t->mask = size - 1;
    for (size_t i = 0; i < old_size; i++) {
        if (old[i].flow < 0) continue;
        size_t j = hash(old[i].source, old[i].destination, old[i].qp) & t->mask;
        while (t->slots[j].flow >= 0) j = (j + 1) & t->mask;
        t->slots[j] = old[i];
    }
    free(old);
}

static void packet(u_char *user, const struct pcap_pkthdr *header, const u_char *bytes) {
    struct table *t = (struct table *)user;
    t->records += 1;
    if (header->caplen < 50 || bytes[12] != 0x08 || bytes[13] != 0x00 || bytes[23] != 17) return;
    if (((bytes[36] << 8) | bytes[37]) != 4791) return;
    uint32_t s, d;
    memcpy(&s, bytes + 26, 4);
    memcpy(&d, bytes + 30, 4);
    uint32_t q = (uint32_t)bytes[47] << 16 | (uint32_t)bytes[48] << 8 | bytes[49];
    size_t j = hash(s, d, q) & t->mask;
    while (t->slots[j].flow >= 0) {
        if (t->slots[j].source == s && t->slots[j].destination == d && t->slots[j].qp == q) break;
        j = (j + 1) & t->mask;
    }
    if (t->slots[j].flow < 0) {
        if (t->count == t->capacity) {
            t->capacity *= 2;
            t->states = realloc(t->states, t->capacity * sizeof *t->states);
        }
        t->states[t->count] = calloc(1, t->state_bytes);
        t->slots[j] = (struct slot){ s, d, q, (int32_t)t->count, {0} };
        t->count += 1;
        if (t->count * 2 > t->mask + 1) grow(t);
        return;
    }
    unsigned char *state = t->states[t->slots[j].flow];
    for (size_t line = 0; line < t->lines; line++) *(uint64_t *)(state + 64 * line) += header->len;
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: %s FILE LINES STATE_BYTES\n", argv[0]); return 2; }
    struct table t = { .lines = strtoul(argv[2], 0, 10), .state_bytes = strtoul(argv[3], 0, 10), .capacity = 1024 };
    if (t.state_bytes < 64 * t.lines) t.state_bytes = 64 * t.lines;
    t.mask = 63;
    t.slots = calloc(64, sizeof *t.slots);
    for (int i = 0; i < 64; i++) t.slots[i].flow = -1;
    t.states = malloc(t.capacity * sizeof *t.states);
    char errbuf[PCAP_ERRBUF_SIZE];
    FILE *file = fopen(argv[1], "rb");
    if (!file) { perror(argv[1]); return 2; }
    static char buffer[1 << 20];
    setvbuf(file, buffer, _IOFBF, sizeof buffer);
    pcap_t *pcap = pcap_fopen_offline_with_tstamp_precision(file, PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (!pcap) { fprintf(stderr, "%s: %s\n", argv[1], errbuf); return 2; }
    if (pcap_loop(pcap, -1, packet, (u_char *)&t) < 0) { fprintf(stderr, "%s\n", pcap_geterr(pcap)); return 2; }
    unsigned long long sum = 0;
    for (size_t i = 0; i < t.count; i++) sum += *(uint64_t *)t.states[i];
    printf("%llu records, %zu flows, %llu\n", t.records, t.count, sum);
    pcap_close(pcap);
    return 0;
}
