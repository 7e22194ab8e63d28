/* The libpcap read limit FabricScope is measured against: a plain pcap_loop over
 * the same file, through the same 1 MiB stdio buffer FabricScope uses, with a
 * callback that only sums the record lengths (so the loop cannot be optimised away).
 * Build: cc -O2 -o pcap_loop_baseline pcap_loop_baseline.c -lpcap */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>

static void count(u_char *user, const struct pcap_pkthdr *header, const u_char *bytes) {
    unsigned long long *totals = (unsigned long long *)user;
    totals[0] += 1;
    totals[1] += header->len + bytes[0];
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: %s FILE\n", argv[0]); return 2; }
    char errbuf[PCAP_ERRBUF_SIZE];
    FILE *file = fopen(argv[1], "rb");
    if (!file) { perror(argv[1]); return 2; }
    static char buffer[1 << 20];
    setvbuf(file, buffer, _IOFBF, sizeof buffer);
    pcap_t *pcap = pcap_fopen_offline_with_tstamp_precision(file, PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (!pcap) { fprintf(stderr, "%s: %s\n", argv[1], errbuf); return 2; }
    unsigned long long totals[2] = {0, 0};
    if (pcap_loop(pcap, -1, count, (u_char *)totals) < 0) { fprintf(stderr, "%s\n", pcap_geterr(pcap)); return 2; }
    printf("%llu records, %llu bytes\n", totals[0], totals[1]);
    pcap_close(pcap);
    return 0;
}
