// The areas add their tables to the context as extension properties in this namespace.
global using Hypermedia.Server.Persistence;
