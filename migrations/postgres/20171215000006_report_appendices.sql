-- A published report keeps its appendices as published too, beside its document.
ALTER TABLE report ADD COLUMN appendices BYTEA;
