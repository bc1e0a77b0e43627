/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * EAL for unit tests: no hugepages, no PCI, one lcore (0), a file prefix
 * of its own per process, and nothing left in /var/run/dpdk afterwards.
 *
 *   static const char *const vdevs[] = { "--vdev", "net_null0,no-rx=1" };
 *   eal_test_start("test_route", vdevs, 2);   (in a group setup)
 *   ...
 *   eal_test_stop();                          (in the group teardown)
 */
#ifndef FERRY_EAL_TEST_H
#define FERRY_EAL_TEST_H

/**
 * rte_eal_init() with --no-huge -m 512 --no-shconf --no-pci -l 0
 * --file-prefix ut_<name>_<pid> --log-level warning --no-telemetry,
 * then @p extra.
 * @return 0, or -1 with the reason printed on stderr.
 */
int eal_test_start(const char *name, const char *const *extra, int n_extra);

/** rte_eal_cleanup() and remove the EAL runtime directory. */
void eal_test_stop(void);

/** The runtime directory EAL used ("" before eal_test_start()). */
const char *eal_test_runtime_dir(void);

#endif /* FERRY_EAL_TEST_H */
