package org.nsroot.runtime.launch;

/**
 * This host does not let the user create user namespaces. The message is the helper's one line:
 * it names the setting (kernel.unprivileged_userns_clone, user.max_user_namespaces or
 * kernel.apparmor_restrict_unprivileged_userns) and the fix.
 */
public class UserNamespacesUnavailableException extends LaunchException {
  public UserNamespacesUnavailableException(String message) {
    super(message);
  }
}
