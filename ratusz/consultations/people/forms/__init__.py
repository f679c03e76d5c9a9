"""Input for people, one module per topic: answers to registration fields (answers), the list of
people, blocks, roles and invitations (directory), registration fields (registration), groups
(groups). The only place that turns what people typed into errors."""
