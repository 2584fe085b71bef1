/**
 * Internal: a minimal jnr-ffi binding to the *at system calls, with raw byte names and errno
 * checked. Public only so that the other packages of this module can use it.
 */
package org.nsroot.rootfs.posix;
