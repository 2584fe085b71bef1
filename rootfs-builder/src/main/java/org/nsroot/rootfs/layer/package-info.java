/** Internal: compression sniffing, DiffID hashing with a byte budget, and read-ahead. */
package org.nsroot.rootfs.layer;
