package org.nsroot.runtime.image;

import java.util.Optional;

/**
 * The identity a run gets inside, found in the image's own passwd and group files.
 *
 * @param uid the uid inside
 * @param gid the gid inside
 * @param home the passwd entry's home directory, if there is an entry
 * @param passwdFile a passwd file to show inside when the image's lacks the uid (the image's lines
 *     plus one for the uid), so that tools calling getpwuid work; empty when not needed
 * @param groupFile likewise for the gid
 */
public record ResolvedUser(long uid, long gid, Optional<String> home, Optional<String> passwdFile,
                           Optional<String> groupFile) {}
