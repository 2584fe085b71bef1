/**
 * Flattening image layers into a rootfs directory, unprivileged and escape-proof: {@link
 * org.nsroot.rootfs.RootfsBuilder} (with {@link org.nsroot.rootfs.LayerSource}, {@link
 * org.nsroot.rootfs.BuildLimits}, {@link org.nsroot.rootfs.BuildListener}), {@link
 * org.nsroot.rootfs.RootfsRemover} and {@link org.nsroot.rootfs.RootfsExporter}. Every failure is a
 * {@link org.nsroot.rootfs.RootfsException}.
 */
package org.nsroot.rootfs;
