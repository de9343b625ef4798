// Namespaces nearly every file of this project imports, said once (ImplicitUsings is off
// repository-wide; this is the explicit list).
global using System;
global using System.Collections.Generic;
global using System.Globalization;
global using System.Linq;
global using System.Text;
global using KeOpsGen.Generator.Diagnostics;
global using KeOpsGen.Generator.Models;
global using KeOpsGen.Generator.Reductions;
global using Microsoft.CodeAnalysis;
