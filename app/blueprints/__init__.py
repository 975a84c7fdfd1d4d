"""The role portals and the shared pages: thin views over the domain services and the policy."""
