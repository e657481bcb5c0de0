-- A word the code table does not have yet (an exit code the server invented), verbatim.
INSERT INTO code (text) VALUES (:text) RETURNING id;
