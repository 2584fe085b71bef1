/** Internal: a byte-exact streaming tar reader and a ustar/PAX writer. */
package org.nsroot.rootfs.tar;
