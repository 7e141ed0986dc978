/*
 * nfq_delay: holds every packet of one NFQUEUE for a fixed time, then accepts it.
 *
 * The interop tests need a link delay on a kernel built without netem
 * (CONFIG_NET_SCH_NETEM) and without nft's queue expression (CONFIG_NFT_QUEUE),
 * so a test sends a link's packets to a queue with the xtables NFQUEUE target
 * (iptables ... -j NFQUEUE --queue-num N, inside the node's network namespace)
 * and runs this program in the same namespace:
 *
 *     nfq_delay QUEUE DELAY_MS
 *
 * Each packet is taken from the queue with its metadata only (no payload copy),
 * remembered with its release time (arrival + DELAY_MS, CLOCK_MONOTONIC) in a
 * FIFO, and given the NF_ACCEPT verdict when that time comes. The delay is the
 * same for every packet, so release times are in arrival order and the FIFO
 * keeps the packets' order (netem's "delay N" without jitter). Nothing is
 * dropped here; loss is made separately with nftables.
 *
 * It prints "ready" once bound to the queue, so that the caller can add the
 * iptables rules only after that (a queue without a listener drops packets),
 * and "held N packets" on SIGTERM/SIGINT. Build: cc -O2 -o nfq_delay nfq_delay.c
 * -lnetfilter_queue (Debian: libnetfilter-queue-dev).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <linux/netfilter.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define CAPACITY 65536 /* packets held at once; the queue length is set to the same */

struct held {
  uint32_t id;
  int64_t release_us;
};

static struct held fifo[CAPACITY];
static size_t head, count;
static int64_t delay_us;
static unsigned long long total;
static volatile sig_atomic_t stop;

static int64_t now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int on_packet(struct nfq_q_handle *qh, struct nfgenmsg *msg, struct nfq_data *nfa, void *data) {
  (void)msg;
  (void)data;
  struct nfqnl_msg_packet_hdr *ph = nfq_get_msg_packet_hdr(nfa);
  if (ph == NULL) {
    return 0;
  }
  uint32_t id = ntohl(ph->packet_id);
  if (count == CAPACITY) { /* cannot hold more: let it through at once rather than lose it */
    return nfq_set_verdict(qh, id, NF_ACCEPT, 0, NULL);
  }
  fifo[(head + count) % CAPACITY] = (struct held){id, now_us() + delay_us};
  count++;
  total++;
  return 0;
}

static void release_due(struct nfq_q_handle *qh) {
  int64_t now = now_us();
  while (count > 0 && fifo[head].release_us <= now) {
    nfq_set_verdict(qh, fifo[head].id, NF_ACCEPT, 0, NULL);
    head = (head + 1) % CAPACITY;
    count--;
  }
}

static void on_signal(int sig) {
  (void)sig;
  stop = 1;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s QUEUE DELAY_MS\n", argv[0]);
    return 2;
  }
  uint16_t queue = (uint16_t)atoi(argv[1]);
  delay_us = (int64_t)atol(argv[2]) * 1000;

  struct nfq_handle *h = nfq_open();
  if (h == NULL) {
    perror("nfq_open");
    return 1;
  }
  struct nfq_q_handle *qh = nfq_create_queue(h, queue, &on_packet, NULL);
  if (qh == NULL) {
    perror("nfq_create_queue");
    return 1;
  }
  if (nfq_set_mode(qh, NFQNL_COPY_META, 0) < 0) {
    perror("nfq_set_mode");
    return 1;
  }
  nfq_set_queue_maxlen(qh, CAPACITY);
  int fd = nfq_fd(h);
  int on = 1;
  setsockopt(fd, SOL_NETLINK, NETLINK_NO_ENOBUFS, &on, sizeof on);
  int rcvbuf = 8 * 1024 * 1024;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf);

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);

  printf("ready queue %u delay %ld ms\n", queue, (long)(delay_us / 1000));
  fflush(stdout);

  char buf[65536] __attribute__((aligned));
  while (!stop) {
    int timeout_ms = -1;
    if (count > 0) {
      int64_t wait = fifo[head].release_us - now_us();
      timeout_ms = wait <= 0 ? 0 : (int)((wait + 999) / 1000);
    }
    struct pollfd pfd = {fd, POLLIN, 0};
    int ready = poll(&pfd, 1, timeout_ms);
    if (ready < 0 && errno != EINTR) {
      perror("poll");
      break;
    }
    if (ready > 0) {
      for (;;) {
        ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        if (n < 0) {
          break; /* EAGAIN: drained (ENOBUFS is off) */
        }
        nfq_handle_packet(h, buf, (int)n);
      }
    }
    release_due(qh);
  }
  /* accept what is still held so that nothing is lost when the delay is removed */
  while (count > 0) {
    nfq_set_verdict(qh, fifo[head].id, NF_ACCEPT, 0, NULL);
    head = (head + 1) % CAPACITY;
    count--;
  }
  printf("held %llu packets\n", total);
  fflush(stdout);
  nfq_destroy_queue(qh);
  nfq_close(h);
  return 0;
}
