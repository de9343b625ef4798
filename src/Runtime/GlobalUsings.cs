// Namespaces nearly every file of this project imports, said once (ImplicitUsings is off
// repository-wide; this is the explicit list).
global using System;
global using System.Numerics;
global using System.Runtime.CompilerServices;
global using System.ComponentModel;
global using System.Buffers;
global using System.Threading;
global using System.Collections.Generic;
