/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/stats and lib/metrics without a data plane (EAL without hugepages,
 * no port, no worker): the source registry's checks, the `show counters`
 * view of registered sources (single- and multi-valued, hidden, zeros
 * left out), `clear counters` baselines (counters start from 0, gauges
 * do not), and the Prometheus exposition of the same sources (one
 * HELP/TYPE per metric, samples grouped, labels escaped, raw values).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli.h"
#include "eal_test.h"
#include "metrics.h"
#include "stats.h"

/* Two fake SAs whose counters the tests move. */
static uint64_t sa_packets[2], sa_replay[2], sa_window = 64;
static uint64_t class_pkts[3];

static void
sa_collect(struct stats_sink *s, void *arg)
{
	static const char *const names[] = { "to-\"b\"", "from-b" };
	unsigned int i;

	(void)arg;
	for (i = 0; i < 2; i++) {
		stats_object(s, names[i]);
		stats_counter(s, "packets", sa_packets[i]);
		stats_counter(s, "replay-drops", sa_replay[i]);
		stats_gauge(s, "window", sa_window);
	}
}

static void
class_collect(struct stats_sink *s, void *arg)
{
	static const char *const names[] = { "1", "2", "31" };
	unsigned int i;

	(void)arg;
	for (i = 0; i < 3; i++) {
		stats_object(s, names[i]);
		stats_counter(s, NULL, class_pkts[i]);
	}
}

static const struct stats_source sa_source = {
	.kind = "ipsec_sas", .word = "sa", .help = "IPsec SA",
	.collect = sa_collect,
};
static const struct stats_source class_source = {
	.kind = "qos_classes", .word = "class", .label = "class",
	.help = "QoS class", .collect = class_collect,
	.value_name = "packets", .hide_zero = true,
};
static const struct stats_source hidden_source = {
	.kind = "detail", .word = "detail", .help = "not in show counters",
	.collect = class_collect, .hidden = true,
};

static char *
counters_text(void)
{
	struct cli_out *out = cli_out_buffer();
	char *text;

	stats_counters_write(out);
	text = strdup(cli_out_text(out));
	cli_out_free(out);
	return text;
}

/* The stream's buffer pointer is static: open_memstream() keeps its
 * address until fclose(), which gcc takes for a dangling local. */
static char *mem_text;
static size_t mem_len;

static char *
metrics_text(void)
{
	FILE *f = open_memstream(&mem_text, &mem_len);

	assert_non_null(f);
	assert_int_equal(metrics_write(f), 0);
	fclose(f);
	return mem_text;
}

static unsigned int
occurrences(const char *text, const char *s)
{
	unsigned int n = 0;

	for (text = strstr(text, s); text != NULL; text = strstr(text + 1, s))
		n++;
	return n;
}

static void
test_register_checks(void **state)
{
	struct stats_source bad = sa_source;

	(void)state;
	assert_int_equal(stats_source_register(NULL), -EINVAL);
	bad.kind = "Ports";   /* upper case: not a telemetry name */
	assert_int_equal(stats_source_register(&bad), -EINVAL);
	bad.kind = "x";
	bad.word = "s a";
	assert_int_equal(stats_source_register(&bad), -EINVAL);
	bad.word = "sa";
	bad.collect = NULL;
	assert_int_equal(stats_source_register(&bad), -EINVAL);
	bad.collect = sa_collect;
	bad.kind = "a_kind_much_too_long_to_be_a_key";
	assert_int_equal(stats_source_register(&bad), -EINVAL);
	assert_int_equal(stats_source_register(&sa_source), -EEXIST);
	assert_ptr_equal(stats_source_find("ipsec_sas"), &sa_source);
	assert_null(stats_source_find("nothing"));
}

static void
test_show_counters(void **state)
{
	char *t;

	(void)state;
	sa_packets[0] = 10;
	sa_replay[0] = 2;
	sa_packets[1] = 7;
	class_pkts[0] = 5;
	class_pkts[1] = 0;
	class_pkts[2] = 9;
	t = counters_text();
	assert_non_null(strstr(t, "sa to-\"b\" packets 10 replay-drops 2 "
			       "window 64\nsa from-b packets 7 replay-drops 0 "
			       "window 64\n"));
	assert_non_null(strstr(t, "class 1 5\nclass 31 9\n"));
	assert_null(strstr(t, "class 2 "));  /* zero, hide_zero */
	assert_null(strstr(t, "detail"));    /* hidden */
	free(t);
}

static void
test_clear_counters(void **state)
{
	char *t;

	(void)state;
	stats_clear();
	sa_packets[0] += 3;
	sa_window = 128;
	t = counters_text();
	/* Counters from the clear on; a gauge shows its value. */
	assert_non_null(strstr(t, "sa to-\"b\" packets 3 replay-drops 0 "
			       "window 128\n"));
	assert_non_null(strstr(t, "sa from-b packets 0 replay-drops 0"));
	assert_null(strstr(t, "class 1 "));
	free(t);
	class_pkts[2]++;
	t = counters_text();
	assert_non_null(strstr(t, "class 31 1\n"));
	free(t);
}

static void
test_prometheus(void **state)
{
	char *t;

	(void)state;
	t = metrics_text();
	assert_non_null(strstr(t, "# HELP ferry_sa_packets_total IPsec SA: "
			       "packets\n# TYPE ferry_sa_packets_total "
			       "counter\nferry_sa_packets_total{sa=\"to-\\\"b"
			       "\\\"\"} 13\nferry_sa_packets_total{sa=\"from-b"
			       "\"} 7\n"));
	/* '-' is not a metric name character. */
	assert_non_null(strstr(t, "# TYPE ferry_sa_replay_drops_total "
			       "counter\n"));
	assert_non_null(strstr(t, "# TYPE ferry_sa_window gauge\n"
			       "ferry_sa_window{sa=\"to-\\\"b\\\"\"} 128\n"));
	/* Single-valued: value_name, zeros included, raw (no baseline). */
	assert_non_null(strstr(t, "ferry_class_packets_total{class=\"2\"} 0\n"));
	assert_non_null(strstr(t, "ferry_class_packets_total{class=\"31\"} "
			       "10\n"));
	/* Hidden sources are exported. */
	assert_non_null(strstr(t, "ferry_detail_value_total{detail=\"1\"} "
			       "5\n"));
	/* One TYPE line per metric even with two objects. */
	assert_int_equal(occurrences(t, "# TYPE ferry_sa_packets_total"), 1);
	assert_non_null(strstr(t, "ferry_info{version=\""));
	free(t);
}

static int
group_setup(void **state)
{
	(void)state;
	if (eal_test_start("stats", NULL, 0) < 0)
		return -1;
	if (stats_setup() < 0 ||
	    stats_source_register(&sa_source) < 0 ||
	    stats_source_register(&class_source) < 0 ||
	    stats_source_register(&hidden_source) < 0)
		return -1;
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	stats_teardown();
	eal_test_stop();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_register_checks),
		cmocka_unit_test(test_show_counters),
		cmocka_unit_test(test_clear_counters),
		cmocka_unit_test(test_prometheus),
	};

	return cmocka_run_group_tests_name("stats", tests, group_setup,
					   group_teardown);
}
