/**
 * Internal: the escape-proof view of the rootfs: entry names, in-root path resolution from a
 * directory descriptor, the per-layer journal (whiteouts, deferred directory metadata) and
 * iterative removal.
 */
package org.nsroot.rootfs.tree;
